package io.flotilla.dsl.diag;

import io.flotilla.dsl.source.SourceFile;
import java.util.Map;

/**
 * Renders diagnostics the way C compilers do, so editors and CI log scrapers understand them:
 *
 * <pre>
 * ping.if:3:13: error: unknown type 'uint33'
 *     message ping(uint33 seq);
 *                  ^
 * </pre>
 *
 * Lines longer than {@link #MAX_LINE} characters are cut around the caret so that a 10 MB one-line file does not
 * produce a 10 MB error message.
 */
public final class DiagnosticRenderer {

    static final int MAX_LINE = 160;

    private final Map<String, SourceFile> sources;

    /** @param sources the files diagnostics may point into, by {@link SourceFile#name()} */
    public DiagnosticRenderer(Map<String, SourceFile> sources) {
        this.sources = sources;
    }

    public String render(Diagnostic d) {
        var out = new StringBuilder(d.headline());
        SourceFile file = sources.get(d.pos().file());
        if (file == null || d.pos().line() < 1 || d.pos().line() > file.lineCount()) {
            return out.toString();
        }
        String line = file.line(d.pos().line());
        int col = Math.max(1, d.pos().column());
        int from = 0;
        if (line.length() > MAX_LINE) {
            from = Math.max(0, Math.min(col - 1 - MAX_LINE / 2, line.length() - MAX_LINE));
            line = line.substring(from, Math.min(line.length(), from + MAX_LINE));
        }
        out.append('\n').append(printable(line)).append('\n');
        int caret = Math.min(col - 1 - from, line.length());
        for (int i = 0; i < caret; i++) {
            out.append(line.charAt(i) == '\t' ? '\t' : ' ');
        }
        out.append('^');
        return out.toString();
    }

    /** Control characters (binary garbage) would garble a terminal; show them as '?'. Tabs are kept. */
    private static String printable(String line) {
        var b = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            b.append(c == '\t' || c >= ' ' && c != 0x7f ? c : '?');
        }
        return b.toString();
    }
}
