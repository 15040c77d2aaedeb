package io.flotilla.skb;

import org.projog.core.parser.Operands;

/**
 * Bounds a goal's shape before Projog parses it. Projog's parser takes time that grows with the cube of a term's
 * nesting (256 nested lists: 0.2 s; 8000: minutes) and faster than linearly with the number of lists, so depth,
 * the number of operators (each may nest one level: {@code a ^ a ^ a ...}) and the number of lists are counted
 * here first, in one linear scan of the text.
 *
 * <p>The scan knows just enough of Prolog's lexis to skip what Projog does not parse as structure: quoted atoms
 * ({@code 'a(b'}, with {@code \} escapes and doubled quotes), character codes ({@code 0'(}) and comments. Double
 * and back quotes are not string delimiters to Projog (it parses the brackets inside them), so they are not to
 * this scan either. A name, quoted or not, counts as an operator when Projog's operator table makes it one
 * ({@code a '^' a} is {@code a ^ a}); every run of symbol characters counts, operator or not. A comma or bar
 * directly inside a compound's arguments or a list separates; elsewhere it is the conjunction (or disjunction)
 * operator and counts.
 */
final class GoalBounds {

    /** Deepest bracket nesting: at 64, Projog parses the worst shape (nested lists) in under 20 ms. */
    static final int MAX_DEPTH = 64;
    /** Most operators: a chain of 1024 right-associative operators parses in a few milliseconds. */
    static final int MAX_OPERATORS = 1024;
    /**
     * Most list and brace brackets in a goal, at any depth: Projog's time for many of them grows faster than
     * their number (2000 {@code []} arguments: 47 s; 512: 0.7 s; 128: 26 ms cold), even without nesting.
     */
    static final int MAX_LISTS = 128;
    /** Longest goal, in characters. */
    static final int MAX_LENGTH = 100_000;

    private static final String SYMBOL_CHARS = "+-*/\\^<>=~:.?@#&$";

    private GoalBounds() {}

    /**
     * @param operators the engine's operator table, to tell names that are operators
     * @throws SkbQueryException naming the column where a bound is first exceeded
     */
    static void check(String goal, Operands operators) {
        if (goal.length() > MAX_LENGTH) {
            throw new SkbQueryException("goal too long: " + goal.length() + " characters, at most " + MAX_LENGTH, 1);
        }
        // Per open bracket: true when commas and bars inside it separate arguments or list elements.
        boolean[] separating = new boolean[MAX_DEPTH + 1];
        int depth = 0;
        int operatorCount = 0;
        int lists = 0;
        int n = goal.length();
        int i = 0;
        while (i < n) {
            char c = goal.charAt(i);
            int start = i;
            if (c == '\'') {
                i = skipQuoted(goal, i, c);
                String name = goal.substring(start + 1, Math.max(start + 1, i - 1)).replace("''", "'");
                if (operators.isDefined(name)) {
                    operatorCount = count(operatorCount, start);
                }
                continue;
            }
            if (c == '%') {
                while (i < n && goal.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '/' && i + 1 < n && goal.charAt(i + 1) == '*') {
                int end = goal.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                continue;
            }
            if (Character.isLetterOrDigit(c) || c == '_') {
                if (c == '0' && i + 1 < n && goal.charAt(i + 1) == '\'') {
                    i = skipCharacterCode(goal, i + 2);
                    continue;
                }
                while (i < n && (Character.isLetterOrDigit(goal.charAt(i)) || goal.charAt(i) == '_')) {
                    i++;
                }
                if (operators.isDefined(goal.substring(start, i))) {
                    operatorCount = count(operatorCount, start);
                }
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                if (depth == MAX_DEPTH) {
                    throw new SkbQueryException("goal nested too deeply at column " + (i + 1) + ": more than "
                            + MAX_DEPTH + " open brackets", i + 1);
                }
                if (c != '(' && ++lists > MAX_LISTS) {
                    throw new SkbQueryException("goal too complex at column " + (i + 1) + ": more than "
                            + MAX_LISTS + " lists and braces", i + 1);
                }
                // '(' right after a name (or a quoted name) opens arguments; otherwise it only groups.
                separating[++depth] = c == '[' || c == '(' && i > 0 && endsName(goal.charAt(i - 1));
                i++;
                continue;
            }
            if (c == ')' || c == ']' || c == '}') {
                depth = Math.max(0, depth - 1);
                i++;
                continue;
            }
            if (c == ',' || c == '|') {
                if (!separating[depth]) {
                    operatorCount = count(operatorCount, start);
                }
                i++;
                continue;
            }
            if (c == ';' || c == '!') {
                operatorCount = count(operatorCount, start);
                i++;
                continue;
            }
            if (SYMBOL_CHARS.indexOf(c) >= 0) {
                while (i < n && SYMBOL_CHARS.indexOf(goal.charAt(i)) >= 0) {
                    i++;
                }
                operatorCount = count(operatorCount, start);
                continue;
            }
            i++; // white space and anything else Projog will judge
        }
    }

    private static int count(int operators, int at) {
        if (operators == MAX_OPERATORS) {
            throw new SkbQueryException("goal too complex at column " + (at + 1) + ": more than " + MAX_OPERATORS
                    + " operators", at + 1);
        }
        return operators + 1;
    }

    private static boolean endsName(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '\'' || SYMBOL_CHARS.indexOf(c) >= 0;
    }

    /** The index after a quoted token starting at {@code open}; the end of the goal if it is not closed. */
    private static int skipQuoted(String goal, int open, char quote) {
        int i = open + 1;
        while (i < goal.length()) {
            char c = goal.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < goal.length() && goal.charAt(i + 1) == quote) {
                    i += 2; // a doubled quote stands for itself
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return goal.length();
    }

    /** After {@code 0'}: one character, an escape, or a doubled quote. */
    private static int skipCharacterCode(String goal, int i) {
        if (i >= goal.length()) {
            return i;
        }
        char c = goal.charAt(i);
        if (c == '\\' || c == '\'' && i + 1 < goal.length() && goal.charAt(i + 1) == '\'') {
            return Math.min(goal.length(), i + 2);
        }
        return i + 1;
    }
}
