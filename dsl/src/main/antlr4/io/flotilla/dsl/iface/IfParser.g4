/*
 * Syntax of the interface language (.if). The grammar is deliberately a little more generous than Flounder's
 * where that lets the checker give a precise message instead of a parse error: type declarations and messages
 * may be mixed, any argument or field may carry a bound, `in`/`out` are optional, and an interface may declare
 * no messages. The checker (InterfaceChecker) rejects all of these with positioned diagnostics.
 */
parser grammar IfParser;

options { tokenVocab = IfLexer; }

@members {
    /** Receives each declaration as soon as it is parsed (see {@link #onEachDeclaration}). */
    private java.util.function.Consumer<DeclarationContext> declarations = d -> { };

    /**
     * Hands each declaration to {@code consumer} right after it is parsed, then drops it from the tree, so that
     * memory stays flat however many declarations a file has (a 10 MB file would otherwise hold a parse tree of
     * millions of nodes).
     */
    void onEachDeclaration(java.util.function.Consumer<DeclarationContext> consumer) {
        declarations = consumer;
    }

    private void declarationParsed(ParserRuleContext parent, DeclarationContext declaration) {
        declarations.accept(declaration);
        parent.removeLastChild();
    }
}

// No EOF: Flounder ignores whatever follows the final "};", and so do we (with a warning).
interfaceFile
    : INTERFACE name=ident description=STRING_LIT? LBRACE
      ( d=declaration { declarationParsed(_localctx, $d.ctx); } )*
      RBRACE SEMI
    ;

includeFile
    : ( d=declaration { declarationParsed(_localctx, $d.ctx); } )* EOF
    ;

// A syntax error anywhere inside a declaration abandons the rest of it (see SyntaxErrorStrategy), so that one
// mistake yields one message instead of a cascade.
declaration
    : typeDecl
    | messageDecl
    ;
    catch [RecognitionException e] {
        _errHandler.reportError(this, e);
        ((SyntaxErrorStrategy) _errHandler).skipDeclaration(this, _localctx);
    }
    catch [SyntaxErrorStrategy.SkipDeclaration e] {
        ((SyntaxErrorStrategy) _errHandler).skipDeclaration(this, _localctx);
    }

typeDecl
    : ALIAS name=ident target=ident SEMI                                        # aliasDecl
    | TYPEDEF STRUCT LBRACE field+ RBRACE name=ident SEMI                       # structDecl
    | TYPEDEF ENUM LBRACE enumMember (COMMA enumMember)* RBRACE name=ident SEMI # enumDecl
    | TYPEDEF target=ident name=ident bound? SEMI                               # typedefDecl
    ;

field
    : type=ident name=ident bound? SEMI
    ;

enumMember
    : ident
    ;

messageDecl
    : annotation* kind=(MESSAGE | RPC) name=ident LPAREN (argument (COMMA argument)*)? RPAREN SEMI
    ;

annotation
    : AT name=ident LPAREN (metaArg (COMMA metaArg)*)? RPAREN
    ;

metaArg
    : key=ident EQ (number=NUMBER | value=ident)
    ;

argument
    : direction=(IN | OUT)? type=ident name=ident bound?
    ;

// [max], [N] or [lengthName, max]; what is allowed where is the checker's business.
bound
    : LBRACK (lengthName=ident COMMA)? sign=(PLUS | MINUS)? NUMBER RBRACK
    ;

ident
    : IDENT | ALIAS | TYPEDEF | STRUCT | ENUM
    ;
