// Grammar of the topology language (.topo). See docs/topology-language.md.
// Statements need no separator: each starts with a keyword that cannot continue the one before it (which is why
// the package's own latency is 'local latency', measured pairs are 'measured A -- B latency N' and the measured CPU
// cost of a message is 'measured message-cpu N', and so on for each measured cost); a ';' after any of them is
// allowed.
parser grammar TopoParser;

options { tokenVocab = TopoLexer; }

topologyFile : machine EOF ;

machine : MACHINE name=STRING LBRACE statement* RBRACE SEMI? ;

statement
    : CLOCK num unit=IDENT SEMI?                                         # clockStmt
    | LET IDENT ASSIGN expr SEMI?                                        # letStmt
    | FOR IDENT IN list LBRACE statement* RBRACE SEMI?                   # forStmt
    | NUMA expr MEMORY size SEMI?                                        # numaStmt
    | PACKAGE expr LBRACE packageItem* RBRACE SEMI?                      # packageStmt
    | LINK expr DASHDASH expr linkAttr* SEMI?                            # linkStmt
    | REMOTE LATENCY expr SEMI?                                          # remoteStmt
    | MEASURED expr DASHDASH expr LATENCY expr SEMI?                     # measuredStmt
    | MEASURED cost=(MESSAGE_CPU | LRPC_MESSAGE | CAPABILITY_INVOCATION | SYSTEM_CALL | INTERRUPT_SEND
                     | INTERRUPT_TRAP) expr SEMI?                        # measuredCostStmt
    ;

packageItem
    : CORES list (SMT smt=expr)? (IN NUMA numa=expr)? SEMI?              # coresItem
    | SIBLINGS list SEMI?                                                # siblingsItem
    | NUMA expr (MEMORY size)? SEMI?                                     # packageNumaItem
    | CACHE level=IDENT size cacheAttr* SEMI?                            # cacheItem
    | LOCAL LATENCY expr SEMI?                                           # packageLatencyItem
    | FOR IDENT IN list LBRACE packageItem* RBRACE SEMI?                 # packageForItem
    ;

cacheAttr
    : LINE expr                                                          # lineAttr
    | ASSOC expr                                                         # assocAttr
    | LATENCY expr                                                       # cacheLatencyAttr
    | PRIVATE                                                            # privateAttr
    | SHARED (BY list)?                                                  # sharedAttr
    | PER expr                                                           # perAttr
    ;

linkAttr
    : LATENCY expr                                                       # linkLatencyAttr
    | BANDWIDTH num unit=IDENT (SLASH per=IDENT)?                        # bandwidthAttr
    ;

size : num unit=IDENT ;

num : DECIMAL | expr ;

list : listItem (COMMA listItem)* ;

listItem : from=expr (DOTDOT to=expr)? ;

expr
    : MINUS expr                                                         # negExpr
    | expr op=(STAR | SLASH | PERCENT) expr                              # mulExpr
    | expr op=(PLUS | MINUS) expr                                        # addExpr
    | LPAREN expr RPAREN                                                 # parenExpr
    | INT                                                                # intExpr
    | IDENT                                                              # varExpr
    ;
