package io.flotilla.dsl.topo;

import io.flotilla.dsl.diag.Diagnostic;
import io.flotilla.dsl.source.MalformedSourceException;
import io.flotilla.dsl.source.SourceFile;
import io.flotilla.dsl.source.SourcePos;
import io.flotilla.dsl.topo.model.Topology;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;

/**
 * Entry point of the topology-language front end: parses and checks a {@code .topo} file and produces the
 * expanded {@link Topology}. See {@code docs/topology-language.md}.
 *
 * <p>Neither method throws for bad input, however bad: every problem, including an unreadable file, becomes a
 * positioned {@link Diagnostic} in the {@link TopoResult}.
 */
public final class TopologyLanguage {

    private TopologyLanguage() {}

    public static TopoResult compile(SourceFile file) {
        var diagnostics = new TopoDiagnostics();
        Optional<Topology> model = Optional.empty();
        try {
            model = compile(file, diagnostics);
        } catch (TopoDiagnostics.TooMany | SyntaxErrors.Stop e) {
            // Already reported; nothing more worth saying.
        } catch (StackOverflowError e) {
            diagnostics.fatal(file.pos(1, 1), "input nested too deeply (an expression or block too long to follow)");
        } catch (OutOfMemoryError e) {
            diagnostics.fatal(file.pos(1, 1), "input too large: out of memory while compiling");
        } catch (RuntimeException e) {
            diagnostics.fatal(file.pos(1, 1), "internal error in the topology compiler: " + e);
        }
        return new TopoResult(diagnostics.hasErrors() ? Optional.empty() : model, diagnostics.sorted(),
                Map.of(file.name(), file));
    }

    private static Optional<Topology> compile(SourceFile file, TopoDiagnostics diagnostics) {
        var lexer = new TopoLexer(CharStreams.fromString(file.text(), file.name()));
        lexer.removeErrorListeners();
        var tokens = new CommonTokenStream(lexer);
        tokens.fill();
        if (!shallow(file, tokens.getTokens(), diagnostics)) {
            return Optional.empty();
        }
        var parser = new TopoParser(tokens);
        parser.removeErrorListeners();
        parser.addErrorListener(new SyntaxErrors(file, diagnostics));
        // SLL is exact for this grammar (no ambiguity that needs full context) and much faster on large files.
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        TopoParser.TopologyFileContext tree = parser.topologyFile();
        var draft = new MachineDraft();
        new Evaluator(file, diagnostics, draft).run(tree.machine());
        return new Checker(draft, diagnostics).check();
    }

    /** Refuses absurd nesting before the parser, which recurses over it, can overflow its stack. */
    private static boolean shallow(SourceFile file, List<Token> tokens, TopoDiagnostics diagnostics) {
        int depth = 0;
        for (Token t : tokens) {
            int type = t.getType();
            if (type == TopoLexer.LPAREN || type == TopoLexer.LBRACE) {
                if (++depth > TopoLimits.MAX_NESTING) {
                    diagnostics.error(SyntaxErrors.at(file, t), "nested too deeply (more than "
                            + TopoLimits.MAX_NESTING + " open brackets)");
                    return false;
                }
            } else if (type == TopoLexer.RPAREN || type == TopoLexer.RBRACE) {
                depth = Math.max(0, depth - 1);
            }
        }
        return true;
    }

    /** Reads the file (strict UTF-8) and compiles it; an unreadable file becomes a diagnostic. */
    public static TopoResult compile(Path path) {
        SourcePos start = new SourcePos(path.toString(), 1, 1);
        String problem;
        try {
            return compile(SourceFile.read(path, TopoLimits.MAX_FILE_BYTES));
        } catch (MalformedSourceException e) {
            return failed(Diagnostic.error(e.pos(), e.getMessage()));
        } catch (NoSuchFileException e) {
            problem = "cannot read file: no such file";
        } catch (AccessDeniedException e) {
            problem = "cannot read file: permission denied";
        } catch (IOException | SecurityException e) {
            problem = "cannot read file: " + e.getMessage();
        }
        return failed(Diagnostic.error(start, problem));
    }

    private static TopoResult failed(Diagnostic d) {
        return new TopoResult(Optional.empty(), List.of(d), Map.of());
    }
}
