/*
 * Tokens of the interface language (.if), following what Barrelfish's Flounder parser accepts (a Parsec
 * javaStyle token parser): see docs/interface-language.md.
 */
lexer grammar IfLexer;

tokens { BLOCK_COMMENT }

@members {
    /** How many block comments are open; comments nest, as in Flounder. */
    private int commentDepth;
    private int commentLine;
    private int commentColumn;

    private void openComment() {
        commentDepth = 1;
        commentLine = getLine();
        commentColumn = getCharPositionInLine() - 2;
    }

    /*
     * Nesting is counted, not recursed: 10,000 nested comments are one token built from many "more" steps in
     * one loop of Lexer.nextToken, with a single mode push.
     */
    private void closeComment() {
        if (--commentDepth == 0) {
            popMode();
            setType(BLOCK_COMMENT);
            setChannel(HIDDEN);
        } else {
            more();
        }
    }

    /**
     * A block comment still open at the end of the input: ANTLR hands back the collected text as an EOF token
     * starting at the comment; report the comment instead and hand out a clean EOF at the real end.
     */
    @Override
    public Token nextToken() {
        Token t = super.nextToken();
        if (t.getType() == EOF && commentDepth > 0) {
            commentDepth = 0;
            popMode();
            getErrorListenerDispatch().syntaxError(this, null, commentLine, commentColumn,
                    "unterminated comment", null);
            t = super.nextToken();
        }
        return t;
    }
}

// Reserved words: case-insensitive, never identifiers.
INTERFACE options { caseInsensitive = true; } : 'interface' ;
MESSAGE   options { caseInsensitive = true; } : 'message' ;
RPC       options { caseInsensitive = true; } : 'rpc' ;
IN        options { caseInsensitive = true; } : 'in' ;
OUT       options { caseInsensitive = true; } : 'out' ;

// Soft keywords: case-insensitive, but still usable as identifiers (the parser's `ident` rule accepts them).
ALIAS     options { caseInsensitive = true; } : 'alias' ;
TYPEDEF   options { caseInsensitive = true; } : 'typedef' ;
STRUCT    options { caseInsensitive = true; } : 'struct' ;
ENUM      options { caseInsensitive = true; } : 'enum' ;

// Builtin type names, including the case-sensitive `String`, are ordinary identifiers; the checker gives them
// meaning. So `cap cap`, an argument named `size` and a type `Status` all tokenize the same way.
IDENT : [\p{L}] [\p{L}\p{N}_']* ;

// Natural numbers: decimal, 0x hex, 0o octal (a leading 0 followed by digits is still decimal).
NUMBER : '0' [xX] [0-9a-fA-F]+ | '0' [oO] [0-7]+ | [0-9]+ ;

// Haskell-style string literal; escapes (including string gaps "\   \") are decoded and checked by the checker.
STRING_LIT : '"' ( ~["\\\r\n] | '\\' [\p{White_Space}]+ '\\' | '\\' ~[\p{White_Space}] )* '"' ;
UNTERMINATED_STRING : '"' ( ~["\\\r\n] | '\\' [\p{White_Space}]+ '\\' | '\\' ~[\p{White_Space}] )* ;

LBRACE : '{' ;
RBRACE : '}' ;
LPAREN : '(' ;
RPAREN : ')' ;
LBRACK : '[' ;
RBRACK : ']' ;
SEMI   : ';' ;
COMMA  : ',' ;
EQ     : '=' ;
AT     : '@' ;
PLUS   : '+' ;
MINUS  : '-' ;

LINE_COMMENT : '//' ~[\r\n]* -> channel(HIDDEN) ;
COMMENT_OPEN : '/*' { openComment(); } -> pushMode(COMMENT), more ;
STRAY_COMMENT_END : '*/' ;

WS : [\p{White_Space}]+ -> skip ;

// Anything else becomes a token the parser rejects with a positioned message; the lexer itself never fails, so
// binary-looking input costs no exceptions.
ERROR_CHAR : . ;

mode COMMENT;
NESTED_OPEN  : '/*' { commentDepth++; } -> more ;
COMMENT_END  : '*/' { closeComment(); } ;
COMMENT_TEXT : ~[/*]+ -> more ;
COMMENT_CHAR : [/*] -> more ;
