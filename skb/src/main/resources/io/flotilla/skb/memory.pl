% Memory placement: the NUMA node closest to a core (Barrelfish's ram_closest_to/3 and
% local_memory_affinity/2 answer the same question over address ranges, digest §4.3).

% closest_memory_node(Core, Node): the core's own node if it has memory, else the node with memory the fewest
% hops away (the lowest id among equals).
closest_memory_node(Core, Node) :-
    core_numa(Core, Own),
    numa_node(Own, Bytes),
    Bytes > 0,
    !,
    Node = Own.
closest_memory_node(Core, Node) :-
    core_numa(Core, Own),
    findall(D-X, (numa_distance(Own, X, D), numa_node(X, Bytes), Bytes > 0), Candidates),
    msort(Candidates, [_-Node | _]).

% memory_of_core(Core, Bytes): the memory of the core's own NUMA node.
memory_of_core(Core, Bytes) :- core_numa(Core, N), numa_node(N, Bytes).
