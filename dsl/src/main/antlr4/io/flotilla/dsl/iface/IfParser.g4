/*
 * Syntax of the interface language (.if). The grammar is deliberately a little more generous than Flounder's
 * where that lets the checker give a precise message instead of a parse error: type declarations and messages
 * may be mixed, any argument or field may carry a bound, `in`/`out` are optional, and an interface may declare
 * no messages. The checker (InterfaceChecker) rejects all of these with positioned diagnostics.
 */
parser grammar IfParser;

options { tokenVocab = IfLexer; }

// No EOF: Flounder ignores whatever follows the final "};", and so do we (with a warning).
interfaceFile
    : INTERFACE name=ident description=STRING_LIT? LBRACE declaration* RBRACE SEMI
    ;

includeFile
    : declaration* EOF
    ;

declaration
    : typeDecl
    | messageDecl
    ;

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
