% The transport for two endpoints (DESIGN.md, "Bindings and late binding"): the same core -> lrpc, two cores of
% one machine -> urpc, else net. An endpoint is a core id of this machine, or remote(Machine, Core) for a core
% of another machine.

transport(A, B, T) :- endpoint(A, MA, CA), endpoint(B, MB, CB), pick_transport(MA, CA, MB, CB, T).

% Machines are tagged (here, or other(M)) so that a remote machine named like a tag is still remote.
endpoint(Core, here, Core) :- integer(Core), cpu_thread(Core, _, _, _).
endpoint(remote(M, Core), other(M), Core).

pick_transport(M, C, M, C, lrpc) :- !.
pick_transport(M, _, M, _, urpc) :- !.
pick_transport(_, _, _, _, net).
