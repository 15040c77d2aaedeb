% Routes between cores and packages, over the facts of Facts.java and the JGraphT built-ins
% shortest_path/3 and min_spanning_tree/1.

% connected(A, B): packages A and B share a link (either direction).
connected(A, B) :- link(A, B, _, _).
connected(A, B) :- link(B, A, _, _).

% core_hops(A, B, H): interconnect hops between the packages of cores A and B (0 within a package).
core_hops(A, B, H) :- cpu_thread(A, PA, _, _), cpu_thread(B, PB, _, _), package_hops(PA, PB, H).

% route(A, B, Packages): the packages a message from core A to core B crosses, cheapest by link latency,
% both ends included ([P] when both cores are in package P).
route(A, B, Packages) :-
    cpu_thread(A, PA, _, _), cpu_thread(B, PB, _, _),
    shortest_path(PA, PB, Packages).

% package_route(PA, PB, Packages): the same between packages.
package_route(PA, PB, Packages) :- shortest_path(PA, PB, Packages).

% smt_siblings(A, B): distinct hardware threads of one physical core.
smt_siblings(A, B) :- cpu_thread(A, P, C, _), cpu_thread(B, P, C, _), A \== B.
