% The NUMA-aware multicast tree of Barrelfish's usr/skb/programs/multicast.pl (digest §4.3, §6.3):
%   - the root sends to the leader (lowest core id) of every other package, and to the other cores of its own
%     package;
%   - each leader forwards to the other cores of its package;
%   - each edge is weighted by its round trip, RTT(S->D) + RTT(D->S), from message_rtt/6.
% Barrelfish sorts all edges by decreasing weight. Here the order is also causal, so that every sender has
% received the message before its own sends are listed:
%   1. the root's sends to package leaders, farthest first (decreasing weight);
%   2. the root's sends within its own package, farthest first;
%   3. each leader's sends within its package, farthest first, leaders in the order the root reached them.
% Ties are broken by the lower destination core. With Barrelfish's fixed edge set its branch-and-bound
% minimisation only confirms this order, so none is done.

rtt2(S, D, W) :-
    message_rtt(S, D, A1, _, _, _),
    message_rtt(D, S, A2, _, _, _),
    W is A1 + A2.

% multicast_tree(Root, Sends): Sends is the list of sendto(From, To) in send order.
multicast_tree(Root, Sends) :-
    cpu_thread(Root, RootPackage, _, _),
    findall(W-sendto(Root, L),
            (package_leader(P, L), P =\= RootPackage, rtt2(Root, L, W)),
            Remote),
    package_cores(RootPackage, Own),
    local_sends(Root, Own, Local),
    farthest_first(Remote, RemoteSends),
    leader_sends(RemoteSends, Forwarded),
    append(RemoteSends, Local, First),
    append(First, Forwarded, Sends).

% local_sends(From, Cores, Sends): From sends to each other core of Cores, farthest first.
local_sends(From, Cores, Sends) :-
    findall(W-sendto(From, X), (member(X, Cores), X =\= From, rtt2(From, X, W)), Pairs),
    farthest_first(Pairs, Sends).

leader_sends([], []).
leader_sends([sendto(_, L) | Rest], Sends) :-
    cpu_thread(L, P, _, _),
    package_cores(P, Cores),
    local_sends(L, Cores, Mine),
    leader_sends(Rest, Others),
    append(Mine, Others, Sends).

% farthest_first(Pairs, Sends): Weight-Send pairs to sends by decreasing weight, then increasing destination.
farthest_first(Pairs, Sends) :-
    negated(Pairs, Keyed),
    msort(Keyed, Sorted),
    pairs_values(Sorted, Sends).

negated([], []).
negated([W-sendto(F, T) | Rest], [key(N, T)-sendto(F, T) | Keyed]) :-
    N is -W,
    negated(Rest, Keyed).
