package io.flotilla.dsl.iface;

import io.flotilla.dsl.diag.Diagnostic;
import io.flotilla.dsl.iface.model.Interface;
import io.flotilla.dsl.source.MalformedSourceException;
import io.flotilla.dsl.source.SourceFile;
import io.flotilla.dsl.source.SourcePos;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Entry point of the interface-language front end: parses and checks an {@code .if} file and produces the
 * resolved {@link Interface} the code generator consumes.
 *
 * <p>Neither method throws for bad input, however bad: every problem, including unreadable files, becomes a
 * positioned {@link Diagnostic} in the {@link CompileResult}. See {@code docs/interface-language.md}.
 */
public final class InterfaceLanguage {

    private InterfaceLanguage() {}

    /**
     * Parses and checks {@code file}, with the type declarations of {@code includes} visible to it (Flounder's
     * {@code -i FILE}). Included types come first in {@link Interface#types()}, marked {@code included}.
     */
    public static CompileResult compile(SourceFile file, List<SourceFile> includes) {
        Map<String, SourceFile> sources = new LinkedHashMap<>();
        for (SourceFile include : includes) {
            sources.putIfAbsent(include.name(), include);
        }
        sources.putIfAbsent(file.name(), file);
        List<String> order = new ArrayList<>(sources.keySet());
        // Semantic findings are kept apart: they are shown only if the files have no syntax error at all.
        var syntax = new Diagnostics(order);
        var semantics = new Diagnostics(order);
        Optional<Interface> model = Optional.empty();
        Diagnostics current = syntax;
        try {
            var checker = new InterfaceChecker(semantics);
            for (SourceFile include : includes) {
                var parser = new FileParser(include, syntax);
                parser.parseInclude(whileClean(syntax, checker.include(parser)));
            }
            var parser = new FileParser(file, syntax);
            IfParser.InterfaceFileContext tree = parser.parseInterface(whileClean(syntax, checker.main(parser)), syntax);
            if (!syntax.hasErrors()) {
                current = semantics;
                model = checker.finish(parser, tree);
            }
        } catch (Diagnostics.TooMany e) {
            // The collection that overflowed has noted it; there is nothing more worth saying.
        } catch (OutOfMemoryError e) {
            current.fatal(Diagnostic.error(file.pos(1, 1), "input too large: out of memory while compiling"));
        } catch (StackOverflowError | RuntimeException e) {
            // Not expected: nothing recurses over input structure. If it happens, still no stack trace for users.
            current.fatal(Diagnostic.error(file.pos(1, 1), "internal error in the interface compiler: " + e));
        }
        Diagnostics shown = syntax.hasErrors() ? syntax : syntax.merge(semantics);
        return new CompileResult(shown.hasErrors() ? Optional.empty() : model, shown.sorted(), sources);
    }

    /** Feeds declarations to the checker only until the first syntax error: a broken tree may lack parts. */
    private static Consumer<IfParser.DeclarationContext> whileClean(Diagnostics syntax,
            Consumer<IfParser.DeclarationContext> check) {
        return d -> {
            if (!syntax.hasErrors()) {
                check.accept(d);
            }
        };
    }

    /** Reads the files (strict UTF-8) and compiles; unreadable files become diagnostics, not exceptions. */
    public static CompileResult compile(Path file, List<Path> includes) {
        List<Diagnostic> problems = new ArrayList<>();
        List<SourceFile> read = new ArrayList<>();
        for (Path include : includes) {
            read.add(read(include, problems));
        }
        SourceFile main = read(file, problems);
        if (!problems.isEmpty()) {
            Map<String, SourceFile> sources = new LinkedHashMap<>();
            read.stream().filter(s -> s != null).forEach(s -> sources.putIfAbsent(s.name(), s));
            return new CompileResult(Optional.empty(), problems, sources);
        }
        return compile(main, read);
    }

    private static SourceFile read(Path path, List<Diagnostic> problems) {
        SourcePos start = new SourcePos(path.toString(), 1, 1);
        try {
            return SourceFile.read(path, Limits.MAX_FILE_BYTES);
        } catch (MalformedSourceException e) {
            problems.add(Diagnostic.error(e.pos(), e.getMessage()));
        } catch (NoSuchFileException e) {
            problems.add(Diagnostic.error(start, "cannot read file: no such file"));
        } catch (AccessDeniedException e) {
            problems.add(Diagnostic.error(start, "cannot read file: permission denied"));
        } catch (IOException | OutOfMemoryError | SecurityException e) {
            problems.add(Diagnostic.error(start, "cannot read file: " + e.getMessage()));
        }
        return null;
    }
}
