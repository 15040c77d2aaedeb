package io.flotilla.dsl.iface;

import io.flotilla.dsl.source.SourceFile;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/**
 * One file after parsing: its tokens (comments included, for doc strings) and its parse tree.
 *
 * @param tree an {@link IfParser.InterfaceFileContext} or an {@link IfParser.IncludeFileContext}
 * @param clean whether the file parsed without syntax errors; only then is the tree fit for checking
 */
record ParsedFile(Positions positions, CommonTokenStream tokens, ParserRuleContext tree, boolean clean) {

    SourceFile source() {
        return positions.source();
    }

    static ParsedFile parseInterface(SourceFile source, Diagnostics diagnostics) {
        return parse(source, diagnostics, false);
    }

    static ParsedFile parseInclude(SourceFile source, Diagnostics diagnostics) {
        return parse(source, diagnostics, true);
    }

    private static ParsedFile parse(SourceFile source, Diagnostics diagnostics, boolean include) {
        Positions positions = new Positions(source);
        boolean[] failed = {false};
        var lexer = new IfLexer(CharStreams.fromString(source.text(), source.name()));
        lexer.removeErrorListeners();
        lexer.addErrorListener(new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> recognizer, Object symbol, int line, int column, String msg,
                    RecognitionException e) {
                failed[0] = true;
                diagnostics.error(positions.at(line, column, -1), msg);
            }
        });
        var tokens = new CommonTokenStream(lexer);
        var parser = new IfParser(tokens);
        parser.removeErrorListeners();
        var errors = new SyntaxErrorStrategy(positions, diagnostics);
        parser.setErrorHandler(errors);
        ParserRuleContext tree = include ? parser.includeFile() : parser.interfaceFile();
        boolean clean = !failed[0] && errors.errors() == 0;
        if (clean && !include && tokens.LA(1) != Token.EOF) {
            diagnostics.warning(positions.of(tokens.LT(1)), "text after the end of the interface is ignored");
        }
        return new ParsedFile(positions, tokens, tree, clean);
    }
}
