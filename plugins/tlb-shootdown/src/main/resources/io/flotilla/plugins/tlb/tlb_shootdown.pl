% Which TLB-shootdown variant to use, asked of the SKB by io.flotilla.plugins.tlb.ShootdownProtocols.
%
% tlb_shootdown_protocol(+Root, +Cores, -Protocol): the variant for a shootdown from core Root to cores 0..Cores-1.
% While every participant shares Root's package there is nothing to aggregate (each message stays in the shared
% L3), so unicast; once the participants span packages, the SKB's NUMA-aware multicast tree.
tlb_shootdown_protocol(Root, Cores, unicast) :-
    cpu_thread(Root, P, _, _), Last is Cores - 1,
    \+ (between(0, Last, C), cpu_thread(C, Q, _, _), Q =\= P), !.
tlb_shootdown_protocol(_, _, 'numa-multicast').
