package io.flotilla.dsl.iface;

import io.flotilla.dsl.source.SourcePos;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * ANTLR's recovery, with messages written for people: "expected ';' after message declaration" rather than
 * "missing ';' at 'message'", "'in' is a reserved word" rather than "mismatched input 'in' expecting {IDENT, ...}".
 *
 * <p>Diagnostics go straight to {@link Diagnostics}; a missing token is reported just after the token before it,
 * where the user forgot it, not at the start of the next line.
 *
 * <p>Recovery inserts a single missing token (the forgotten ';') where that lets parsing go on; otherwise the rest
 * of the declaration is skipped and parsing resumes with the next one, so one mistake gives one message. ANTLR's
 * single-token deletion is off: it guesses wrong for the common mistakes here (a reserved word used as a name, an
 * empty struct) and then reports a second, confusing error for the same mistake.
 */
final class SyntaxErrorStrategy extends DefaultErrorStrategy {

    private final Positions positions;
    private final Diagnostics diagnostics;
    private int errors;
    /** Set when the lexer has already said why the input ends early; "found end of file" would only repeat it. */
    private boolean endExplained;

    SyntaxErrorStrategy(Positions positions, Diagnostics diagnostics) {
        this.positions = positions;
        this.diagnostics = diagnostics;
    }

    /** Unwinds the parser from inside a broken declaration to the {@code declaration} rule, which skips the rest. */
    static final class SkipDeclaration extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SkipDeclaration() {
            super("skip declaration", null, false, false);
        }
    }

    @Override
    protected Token singleTokenDeletion(Parser parser) {
        return null;
    }

    @Override
    public void recover(Parser parser, RecognitionException e) {
        for (ParserRuleContext c = parser.getContext(); c != null; c = c.getParent()) {
            if (c instanceof IfParser.DeclarationContext) {
                throw new SkipDeclaration();
            }
        }
        super.recover(parser, e);
    }

    /**
     * Skips to the end of the broken declaration {@code decl}: past its ';' (outside braces), or up to a token
     * that can only start a new declaration, a '}' that closes the interface, or the end of the file.
     */
    void skipDeclaration(Parser parser, IfParser.DeclarationContext decl) {
        TokenStream in = parser.getInputStream();
        int start = decl.start.getTokenIndex();
        int depth = 0;
        for (int i = start; i < in.index(); i++) {
            depth += braceDelta(in.get(i));
        }
        while (true) {
            int t = in.LA(1);
            if (t == Token.EOF || depth <= 0 && (t == IfLexer.RBRACE || startsDeclaration(in, start))) {
                return;
            }
            depth += braceDelta(in.LT(1));
            parser.consume();
            if (t == IfLexer.SEMI && depth <= 0) {
                return;
            }
        }
    }

    /**
     * Whether the next token begins a new declaration: 'message', 'rpc' or '@' first on its line. (Inside a line
     * it is more likely a reserved word misused as a name, which belongs to the broken declaration.)
     */
    private static boolean startsDeclaration(TokenStream in, int declarationStart) {
        Token next = in.LT(1);
        int t = next.getType();
        if (t != IfLexer.MESSAGE && t != IfLexer.RPC && t != IfLexer.AT || in.index() <= declarationStart) {
            return false;
        }
        Token before = previous(in, next);
        return before == null || before.getLine() < next.getLine();
    }

    private static int braceDelta(Token t) {
        return t.getType() == IfLexer.LBRACE ? 1 : t.getType() == IfLexer.RBRACE ? -1 : 0;
    }

    /** How many syntax errors were reported. */
    int errors() {
        return errors;
    }

    /** The lexer reports that the input ends inside a comment. */
    void inputEndsInComment() {
        endExplained = true;
    }

    private void error(SourcePos pos, String message) {
        errors++;
        diagnostics.error(pos, message);
    }

    @Override
    protected void reportNoViableAlternative(Parser parser, NoViableAltException e) {
        Token offending = e.getOffendingToken();
        if (offending == parser.getCurrentToken()) {
            report(parser, offending, parser.getExpectedTokens());
        } else {
            error(positions.of(offending), unexpected(offending) + inContext(parser.getContext()));
        }
    }

    @Override
    protected void reportInputMismatch(Parser parser, InputMismatchException e) {
        report(parser, e.getOffendingToken(), e.getExpectedTokens());
    }

    @Override
    protected void reportUnwantedToken(Parser parser) {
        if (inErrorRecoveryMode(parser)) {
            return;
        }
        beginErrorCondition(parser);
        report(parser, parser.getCurrentToken(), getExpectedTokens(parser));
    }

    @Override
    protected void reportMissingToken(Parser parser) {
        if (inErrorRecoveryMode(parser)) {
            return;
        }
        beginErrorCondition(parser);
        report(parser, parser.getCurrentToken(), getExpectedTokens(parser));
    }

    private void report(Parser parser, Token offending, IntervalSet expected) {
        if (endExplained && offending.getType() == Token.EOF) {
            errors++;
            return;
        }
        Token previous = previous(parser.getInputStream(), offending);
        String special = specialMessage(offending, expected);
        if (special != null) {
            error(positions.of(offending), special);
            return;
        }
        ParserRuleContext context = meaningfulContext(parser.getContext());
        if (context instanceof IfParser.FieldContext) {
            // The grammar lets a field have a bound only to reject it with a better message; don't suggest one.
            expected = new IntervalSet(expected);
            expected.remove(IfLexer.LBRACK);
        }
        // A forgotten ';' or ')' is noticed only at the next token, often on a later line: point where it belongs.
        boolean forgotten = previous != null && offending.getLine() > previous.getLine()
                && (offending.getType() == Token.EOF || onlyPunctuation(expected));
        String message;
        if (expected.size() == 1 && expected.contains(IfLexer.SEMI) && previous != null) {
            message = "expected ';' after " + declarationName(context) + (forgotten ? "" : ", found " + found(offending));
        } else {
            String what = ruleStart(context, offending, expected);
            message = "expected " + (what != null ? what : describe(expected)) + ", found " + found(offending);
        }
        error(forgotten ? positions.after(previous) : positions.of(offending), message);
    }

    /** Whether every expected token is a symbol; the lexer grammar declares them together, LBRACE to MINUS. */
    private static boolean onlyPunctuation(IntervalSet expected) {
        for (int type : expected.toArray()) {
            if (type < IfLexer.LBRACE || type > IfLexer.MINUS) {
                return false;
            }
        }
        return true;
    }

    /** Tokens that are wrong wherever they appear get a message of their own. */
    private static String specialMessage(Token offending, IntervalSet expected) {
        switch (offending.getType()) {
            case IfLexer.UNTERMINATED_STRING:
                return "unterminated string literal";
            case IfLexer.STRAY_COMMENT_END:
                return "'*/' without a matching '/*'";
            case IfLexer.ERROR_CHAR:
                return offending.getText().equals("_")
                        ? "a name cannot start with '_'"
                        : "unexpected character " + quoteChar(offending.getText());
            case IfLexer.IDENT:
                String word = offending.getText();
                return expected.contains(IfLexer.MESSAGE) && (word.equals("call") || word.equals("response"))
                        ? "'" + word + "' declarations are not supported (nor by Flounder's parser); use 'message' or 'rpc'"
                        : null;
            case IfLexer.INTERFACE, IfLexer.MESSAGE, IfLexer.RPC, IfLexer.IN, IfLexer.OUT:
                return expected.contains(IfLexer.IDENT)
                        ? "'" + offending.getText() + "' is a reserved word and cannot be used as a name"
                        : null;
            default:
                return null;
        }
    }

    private static Token previous(TokenStream tokens, Token t) {
        for (int i = t.getTokenIndex() - 1; i >= 0; i--) {
            Token p = tokens.get(i);
            if (p.getChannel() == Token.DEFAULT_CHANNEL) {
                return p;
            }
        }
        return null;
    }

    /** The innermost rule worth naming: a name missing at the start of an argument is a missing argument. */
    private static ParserRuleContext meaningfulContext(ParserRuleContext context) {
        ParserRuleContext c = context;
        while (c instanceof IfParser.IdentContext && c.getParent() != null && c.getParent().start == c.start) {
            c = c.getParent();
        }
        return c;
    }

    /** What a rule starts with, for "expected an argument, found ')'", if the error is at its start. */
    private static String ruleStart(ParserRuleContext c, Token offending, IntervalSet expected) {
        if (c instanceof IfParser.StructDeclContext && expected.contains(IfLexer.IDENT)) {
            return "a struct field";
        } else if (c.start != offending) {
            return null;
        } else if (c instanceof IfParser.ArgumentContext) {
            return "an argument";
        } else if (c instanceof IfParser.FieldContext) {
            return "a struct field";
        } else if (c instanceof IfParser.EnumMemberContext) {
            return "an enum member";
        } else if (c instanceof IfParser.MetaArgContext) {
            return "key=value";
        } else if (c instanceof IfParser.InterfaceFileContext) {
            return "'interface'";
        }
        return null;
    }

    /** The declaration a ';' ends. */
    private static String declarationName(ParserRuleContext c) {
        if (c instanceof IfParser.MessageDeclContext m) {
            return m.kind != null && m.kind.getType() == IfLexer.RPC ? "rpc declaration" : "message declaration";
        } else if (c instanceof IfParser.AliasDeclContext) {
            return "alias declaration";
        } else if (c instanceof IfParser.TypeDeclContext) {
            return "type declaration";
        } else if (c instanceof IfParser.FieldContext) {
            return "struct field";
        } else if (c instanceof IfParser.InterfaceFileContext) {
            return "the closing '}' of the interface";
        }
        return "declaration";
    }

    private static String inContext(ParserRuleContext c) {
        ParserRuleContext m = meaningfulContext(c);
        if (m instanceof IfParser.TypeDeclContext) {
            return " in type declaration";
        } else if (m instanceof IfParser.MessageDeclContext || m instanceof IfParser.ArgumentContext) {
            return " in message declaration";
        }
        return "";
    }

    /** Expected tokens in words: "a name", "'message' or 'rpc'", "a type declaration, a message or '}'". */
    private static String describe(IntervalSet expected) {
        List<String> parts = new ArrayList<>();
        if (expected.contains(IfLexer.IDENT)) {
            parts.add("a name");
        } else if (expected.contains(IfLexer.ALIAS) || expected.contains(IfLexer.TYPEDEF)) {
            parts.add("a type declaration");
        }
        if (expected.contains(IfLexer.MESSAGE) || expected.contains(IfLexer.RPC)) {
            parts.add(expected.contains(IfLexer.ALIAS) ? "a message" : "'message' or 'rpc'");
        }
        if (expected.contains(IfLexer.NUMBER)) {
            parts.add("a number");
        }
        if (expected.contains(IfLexer.STRING_LIT)) {
            parts.add("a description string");
        }
        for (int type : expected.toArray()) {
            switch (type) {
                case IfLexer.IDENT, IfLexer.ALIAS, IfLexer.TYPEDEF, IfLexer.STRUCT, IfLexer.ENUM, IfLexer.MESSAGE,
                        IfLexer.RPC, IfLexer.NUMBER, IfLexer.STRING_LIT, IfLexer.PLUS, IfLexer.MINUS, IfLexer.AT -> {
                    // covered by the words above
                }
                case Token.EOF -> parts.add("end of file");
                default -> parts.add(IfLexer.VOCABULARY.getLiteralName(type) != null
                        ? IfLexer.VOCABULARY.getLiteralName(type)
                        : IfLexer.VOCABULARY.getDisplayName(type));
            }
        }
        if (parts.isEmpty()) {
            return "something else";
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " or " + parts.get(parts.size() - 1);
    }

    private static String found(Token t) {
        return t.getType() == Token.EOF ? "end of file" : "'" + abbreviate(t.getText()) + "'";
    }

    private static String unexpected(Token t) {
        String special = specialMessage(t, new IntervalSet());
        return special != null ? special : "unexpected " + found(t);
    }

    private static String abbreviate(String text) {
        return text.length() <= 24 ? text : text.substring(0, 21) + "...";
    }

    /** A character for a message; control characters and the like by their code point. */
    private static String quoteChar(String c) {
        int cp = c.codePointAt(0);
        if (Character.isISOControl(cp) || Character.isWhitespace(cp) || !Character.isDefined(cp)) {
            return String.format("U+%04X", cp);
        }
        return "'" + c + "'";
    }
}
