// Tokens of the topology language (.topo). See docs/topology-language.md.
lexer grammar TopoLexer;

MACHINE   : 'machine' ;
CLOCK     : 'clock' ;
LET       : 'let' ;
FOR       : 'for' ;
IN        : 'in' ;
PACKAGE   : 'package' ;
NUMA      : 'numa' ;
MEMORY    : 'memory' ;
CORES     : 'cores' ;
SMT       : 'smt' ;
SIBLINGS  : 'siblings' ;
CACHE     : 'cache' ;
LINE      : 'line' ;
ASSOC     : 'assoc' ;
LATENCY   : 'latency' ;
PRIVATE   : 'private' ;
SHARED    : 'shared' ;
PER       : 'per' ;
LINK      : 'link' ;
BANDWIDTH : 'bandwidth' ;
REMOTE    : 'remote' ;
LOCAL     : 'local' ;
MEASURED  : 'measured' ;
// The measured costs (model.TopoCost), each one word, so that it cannot be read as an expression 'message - cpu'.
MESSAGE_CPU : 'message-cpu' ;
LRPC_MESSAGE : 'lrpc-message' ;
CAPABILITY_INVOCATION : 'capability-invocation' ;
SYSTEM_CALL : 'system-call' ;
INTERRUPT_SEND : 'interrupt-send' ;
INTERRUPT_TRAP : 'interrupt-trap' ;
BY        : 'by' ;

LBRACE  : '{' ;
RBRACE  : '}' ;
LPAREN  : '(' ;
RPAREN  : ')' ;
SEMI    : ';' ;
COMMA   : ',' ;
DOTDOT  : '..' ;
DASHDASH: '--' ;
ASSIGN  : '=' ;
PLUS    : '+' ;
MINUS   : '-' ;
STAR    : '*' ;
SLASH   : '/' ;
PERCENT : '%' ;

// "0..7" must lex as INT DOTDOT INT: a decimal needs a digit after its point, so "0." never starts one.
DECIMAL : [0-9]+ '.' [0-9]+ ;
INT     : [0-9]+ ;
IDENT   : [a-zA-Z] [a-zA-Z0-9_]* ;
STRING  : '"' ~["\r\n]* '"' ;
UNTERMINATED_STRING : '"' ~["\r\n]* ;

LINE_COMMENT  : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
UNTERMINATED_COMMENT : '/*' .*? EOF ;
WS : [ \t\r\n\f]+ -> skip ;

// Anything else is one bad character; the parser reports it where it stands.
ERROR_CHAR : . ;
