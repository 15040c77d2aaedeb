package io.flotilla.dsl.iface;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BufferedTokenStream;
import org.antlr.v4.runtime.Token;

/**
 * Finds the doc comment of a declaration among the hidden comment tokens.
 *
 * <p>A declaration's doc is the run of comments right before it, with no blank line in between; a comment that
 * trails the previous declaration on its line is not part of it, and neither is a {@code ///<} comment, which
 * documents what stands before it. A struct field may instead carry a trailing {@code ///<} (or {@code /**<})
 * comment on its own line, as Barrelfish files do.
 */
final class DocComments {

    private final BufferedTokenStream tokens;

    DocComments(BufferedTokenStream tokens) {
        this.tokens = tokens;
    }

    /** The doc written before the declaration starting at {@code first}; "" if none. */
    String before(Token first) {
        List<Token> hidden = tokens.getHiddenTokensToLeft(first.getTokenIndex());
        if (hidden == null) {
            return "";
        }
        int previousLine = previousDefaultLine(first);
        List<String> parts = new ArrayList<>();
        int nextLine = first.getLine();
        for (int i = hidden.size() - 1; i >= 0; i--) {
            Token c = hidden.get(i);
            if (endLine(c) + 1 < nextLine || c.getLine() == previousLine || isTrailing(c.getText())) {
                break;
            }
            parts.add(0, strip(c.getText()));
            nextLine = c.getLine();
        }
        return String.join("\n", parts).strip();
    }

    /** The {@code ///<} doc on the same line after {@code last} (a field's ';'); "" if none. */
    String trailing(Token last) {
        List<Token> hidden = tokens.getHiddenTokensToRight(last.getTokenIndex());
        if (hidden == null) {
            return "";
        }
        Token c = hidden.get(0);
        return c.getLine() == last.getLine() && isTrailing(c.getText()) ? strip(c.getText()) : "";
    }

    private int previousDefaultLine(Token t) {
        for (int i = t.getTokenIndex() - 1; i >= 0; i--) {
            Token p = tokens.get(i);
            if (p.getChannel() == Token.DEFAULT_CHANNEL) {
                return endLine(p);
            }
        }
        return 0;
    }

    private static int endLine(Token t) {
        return t.getLine() + (int) t.getText().chars().filter(ch -> ch == '\n').count();
    }

    private static boolean isTrailing(String comment) {
        return comment.startsWith("///<") || comment.startsWith("/**<") || comment.startsWith("//!<");
    }

    /** The comment's text without {@code //}, {@code /*}, {@code *}{@code /} and the leading '*' of each line. */
    static String strip(String comment) {
        if (comment.startsWith("//")) {
            return comment.replaceFirst("^//+[<!]?", "").strip();
        }
        String body = comment.replaceFirst("^/\\*+[<!]?", "").replaceFirst("\\*+/$", "");
        List<String> lines = new ArrayList<>();
        for (String line : body.split("\\R", -1)) {
            lines.add(line.strip().replaceFirst("^\\*+ ?", "").strip());
        }
        return String.join("\n", lines).strip();
    }
}
