package io.flotilla.dsl.topo;

import io.flotilla.dsl.source.SourceFile;
import io.flotilla.dsl.source.SourcePos;
import io.flotilla.dsl.topo.TopoParser.*;
import io.flotilla.dsl.topo.model.TopoCost;
import io.flotilla.dsl.topo.model.TopoLink;
import io.flotilla.dsl.topo.model.TopoMeasured;
import io.flotilla.dsl.topo.model.TopoNuma;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * Executes a parsed topology file: evaluates expressions, runs {@code for} loops and collects what each
 * statement declares into a {@link MachineDraft}. Mistakes are reported where they stand and the statement is
 * skipped, so one run finds every independent mistake; {@link Checker} then checks the whole.
 */
final class Evaluator {

    /** A mistake in one statement: reported, and the statement is skipped. */
    static final class Mistake extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient SourcePos pos;

        Mistake(SourcePos pos, String message) {
            super(message, null, false, false);
            this.pos = pos;
        }
    }

    private final SourceFile source;
    private final TopoDiagnostics diagnostics;
    private final MachineDraft draft;
    /** Variables: one map per block, innermost last. */
    private final Deque<Map<String, Long>> scopes = new ArrayDeque<>();
    /** The loop variables in force, outermost first, for messages: "(p = 3)". Formatted only when needed. */
    private final Deque<LoopVar> loopVars = new ArrayDeque<>();

    private record LoopVar(String name, long value) {
        @Override
        public String toString() {
            return name + " = " + value;
        }
    }
    private long steps;

    Evaluator(SourceFile source, TopoDiagnostics diagnostics, MachineDraft draft) {
        this.source = source;
        this.diagnostics = diagnostics;
        this.draft = draft;
    }

    void run(MachineContext machine) {
        draft.pos = pos(machine.name);
        String quoted = machine.name.getText();
        draft.name = quoted.substring(1, quoted.length() - 1);
        if (!draft.name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            report(pos(machine.name), "machine name '" + draft.name
                    + "' must start with a letter or digit and use only letters, digits, '.', '_' and '-'");
        }
        scopes.push(new HashMap<>());
        for (StatementContext s : machine.statement()) {
            statement(s);
        }
    }

    // ---- statements -------------------------------------------------------------------------------------------

    private void statement(StatementContext s) {
        step(s);
        try {
            if (s instanceof ClockStmtContext c) {
                clock(c);
            } else if (s instanceof LetStmtContext l) {
                define(l.IDENT().getSymbol(), expr(l.expr()));
            } else if (s instanceof ForStmtContext f) {
                loop(f.IDENT().getSymbol(), f.list(), () -> f.statement().forEach(this::statement));
            } else if (s instanceof NumaStmtContext n) {
                numa(n.expr(), n.size(), pos(s));
            } else if (s instanceof PackageStmtContext p) {
                packageBlock(p);
            } else if (s instanceof LinkStmtContext l) {
                link(l);
            } else if (s instanceof RemoteStmtContext r) {
                draft.remoteLatency = nonNegative(r.expr(), "remote latency");
            } else if (s instanceof MeasuredStmtContext m) {
                measured(m);
            } else if (s instanceof MeasuredCostStmtContext m) {
                measuredCost(m);
            }
        } catch (Mistake m) {
            report(m.pos, m.getMessage());
        }
    }

    private void clock(ClockStmtContext c) {
        if (draft.clockPos != null) {
            throw new Mistake(pos(c), "the clock is already given at " + draft.clockPos);
        }
        draft.clockSeen = true;
        double value = number(c.num());
        String unit = c.unit.getText();
        double ghz = switch (unit) {
            case "GHz" -> value;
            case "MHz" -> value / 1000;
            default -> throw new Mistake(pos(c.unit), "unknown clock unit '" + unit + "': use GHz or MHz");
        };
        if (!(ghz > 0) || ghz > 1000) {
            throw new Mistake(pos(c.num()), "impossible clock rate " + c.num().getText() + " " + unit);
        }
        draft.clockGhz = ghz;
        draft.clockPos = pos(c);
    }

    private void numa(ExprContext idExpr, SizeContext size, SourcePos at) {
        int id = id(idExpr, "NUMA node", TopoLimits.MAX_NUMA_NODES);
        long bytes = size(size, "memory");
        TopoNuma before = draft.numa.get(id);
        if (before != null) {
            throw new Mistake(at, "NUMA node " + id + " is already declared at " + before.pos());
        }
        draft.numa.put(id, new TopoNuma(id, bytes, at));
    }

    private void packageBlock(PackageStmtContext p) {
        int id = id(p.expr(), "package", TopoLimits.MAX_PACKAGES);
        MachineDraft.Pkg before = draft.packages.get(id);
        if (before != null) {
            throw new Mistake(pos(p.expr()), "package " + id + " is already declared at " + before.pos);
        }
        var pkg = new MachineDraft.Pkg(id, pos(p.expr()), context());
        draft.packages.put(id, pkg);
        scopes.push(new HashMap<>());
        try {
            p.packageItem().forEach(item -> packageItem(pkg, item));
        } finally {
            scopes.pop();
        }
    }

    private void packageItem(MachineDraft.Pkg pkg, PackageItemContext item) {
        step(item);
        try {
            if (item instanceof CoresItemContext c) {
                cores(pkg, c);
            } else if (item instanceof SiblingsItemContext s) {
                siblings(pkg, s);
            } else if (item instanceof PackageNumaItemContext n) {
                if (pkg.numa != null) {
                    throw new Mistake(pos(item), "package " + pkg.id + " already has NUMA node " + pkg.numa
                            + "; to split its cores between nodes write 'cores LIST in numa N'");
                }
                if (n.size() != null) {
                    numa(n.expr(), n.size(), pos(item));
                }
                pkg.numa = id(n.expr(), "NUMA node", TopoLimits.MAX_NUMA_NODES);
                pkg.numaPos = pos(n.expr());
            } else if (item instanceof CacheItemContext c) {
                cache(pkg, c);
            } else if (item instanceof PackageLatencyItemContext l) {
                pkg.localLatency = nonNegative(l.expr(), "local latency");
            } else if (item instanceof PackageForItemContext f) {
                loop(f.IDENT().getSymbol(), f.list(), () -> f.packageItem().forEach(i -> packageItem(pkg, i)));
            }
        } catch (Mistake m) {
            report(m.pos, m.getMessage());
        }
    }

    private void cores(MachineDraft.Pkg pkg, CoresItemContext c) {
        pkg.coresSeen = true;
        long smt = c.smt == null ? 1 : expr(c.smt);
        if (smt < 1 || smt > 64) {
            throw new Mistake(pos(c.smt), "impossible SMT width " + smt + ": each core has 1 to 64 hardware threads");
        }
        Integer numa = c.numa == null ? null : id(c.numa, "NUMA node", TopoLimits.MAX_NUMA_NODES);
        List<Long> ids = materialize(c.list(), TopoLimits.MAX_CORES, "cores");
        if (ids.isEmpty()) {
            throw new Mistake(pos(c), "no cores listed");
        }
        if (ids.size() % smt != 0) {
            throw new Mistake(pos(c.smt), ids.size() + " cores cannot be split into physical cores of " + smt
                    + " threads each");
        }
        SourcePos at = pos(c.list());
        List<Integer> group = new ArrayList<>();
        for (long raw : ids) {
            int id = checkId(raw, "core", TopoLimits.MAX_CORES, at);
            MachineDraft.CoreDraft before = draft.cores.get(id);
            if (before != null) {
                throw new Mistake(at, "core " + id + " is already declared at " + before.pos());
            }
            draft.cores.put(id, new MachineDraft.CoreDraft(id, pkg.id, numa, at));
            pkg.cores.add(id);
            group.add(id);
            if (group.size() == smt) {
                pkg.groups.add(group);
                group = new ArrayList<>();
            }
        }
    }

    private void siblings(MachineDraft.Pkg pkg, SiblingsItemContext s) {
        SourcePos at = pos(s.list());
        List<Long> ids = materialize(s.list(), 64, "siblings");
        if (ids.size() < 2) {
            throw new Mistake(at, "'siblings' needs at least two cores");
        }
        List<Integer> group = new ArrayList<>();
        for (long raw : ids) {
            int id = checkId(raw, "core", TopoLimits.MAX_CORES, at);
            if (!pkg.cores.contains(id)) {
                throw new Mistake(at, "core " + id + " is not a core of package " + pkg.id
                        + " (declare it with 'cores' first)");
            }
            if (group.contains(id)) {
                throw new Mistake(at, "core " + id + " is listed twice");
            }
            group.add(id);
        }
        for (List<Integer> g : pkg.groups) {
            if (g.size() > 1 && g.stream().anyMatch(group::contains)) {
                throw new Mistake(at, "core " + g.stream().filter(group::contains).findFirst().orElseThrow()
                        + " already has SMT siblings " + g);
            }
        }
        pkg.groups.removeIf(g -> group.contains(g.get(0)));
        pkg.groups.add(group);
    }

    private void cache(MachineDraft.Pkg pkg, CacheItemContext c) {
        var cache = new MachineDraft.CacheDraft(pos(c), context());
        String level = c.level.getText();
        var m = java.util.regex.Pattern.compile("L([1-9])([di]?)").matcher(level);
        if (!m.matches()) {
            throw new Mistake(pos(c.level), "unknown cache level '" + level + "': write L1d, L1i, L2, L3, ...");
        }
        cache.name = level;
        cache.level = Integer.parseInt(m.group(1));
        cache.type = m.group(2).isEmpty() ? 'u' : m.group(2).charAt(0);
        cache.size = size(c.size(), "cache size");
        if (cache.size == 0) {
            throw new Mistake(pos(c.size()), "a cache cannot be empty");
        }
        for (CacheAttrContext a : c.cacheAttr()) {
            if (a instanceof LineAttrContext l) {
                long line = expr(l.expr());
                if (line <= 0 || line > 4096 || Long.bitCount(line) != 1) {
                    throw new Mistake(pos(l.expr()), "impossible line size " + line
                            + ": a power of two from 1 to 4096 bytes");
                }
                cache.line = (int) line;
            } else if (a instanceof AssocAttrContext as) {
                long ways = expr(as.expr());
                if (ways < 1 || ways > 1 << 16) {
                    throw new Mistake(pos(as.expr()), "impossible associativity " + ways);
                }
                cache.assoc = (int) ways;
            } else if (a instanceof CacheLatencyAttrContext l) {
                cache.latency = nonNegative(l.expr(), "cache latency");
            } else {
                if (cache.sharing != null) {
                    throw new Mistake(pos(a), "the cache's sharing is already given ('" + cache.sharingText + "')");
                }
                cache.sharingText = source.text().substring(a.start.getStartIndex(),
                        Math.max(a.start.getStartIndex(), a.stop.getStopIndex() + 1));
                cache.sharingPos = pos(a);
                if (a instanceof PrivateAttrContext) {
                    cache.sharing = MachineDraft.Sharing.PRIVATE;
                } else if (a instanceof SharedAttrContext sh) {
                    cache.sharing = sh.list() == null ? MachineDraft.Sharing.SHARED : MachineDraft.Sharing.LIST;
                    if (sh.list() != null) {
                        for (long raw : materialize(sh.list(), TopoLimits.MAX_CORES, "shared by")) {
                            cache.sharedBy.add(checkId(raw, "core", TopoLimits.MAX_CORES, pos(sh.list())));
                        }
                    }
                } else if (a instanceof PerAttrContext p) {
                    long per = expr(p.expr());
                    if (per < 1 || per > TopoLimits.MAX_CORES) {
                        throw new Mistake(pos(p.expr()), "impossible sharing 'per " + per + "'");
                    }
                    cache.sharing = MachineDraft.Sharing.PER;
                    cache.per = (int) per;
                }
            }
        }
        if (cache.sharing == null) {
            throw new Mistake(pos(c), "say which cores share cache " + level
                    + ": 'private', 'shared', 'shared by LIST' or 'per N'");
        }
        pkg.caches.add(cache);
    }

    private void link(LinkStmtContext l) {
        SourcePos at = pos(l);
        int a = id(l.expr(0), "package", TopoLimits.MAX_PACKAGES);
        int b = id(l.expr(1), "package", TopoLimits.MAX_PACKAGES);
        Long latency = null;
        double bandwidth = 0;
        for (LinkAttrContext attr : l.linkAttr()) {
            if (attr instanceof LinkLatencyAttrContext lat) {
                latency = nonNegative(lat.expr(), "link latency");
            } else if (attr instanceof BandwidthAttrContext bw) {
                bandwidth = bandwidth(bw);
            }
        }
        if (latency == null) {
            throw new Mistake(at, "link " + a + " -- " + b + " needs a latency: 'latency CYCLES'");
        }
        if (draft.links.size() >= TopoLimits.MAX_LINKS) {
            throw new Mistake(at, "too many links (at most " + TopoLimits.MAX_LINKS + ")");
        }
        draft.links.add(new TopoLink(a, b, latency, bandwidth, at));
        draft.linkContexts.add(context());
    }

    private double bandwidth(BandwidthAttrContext bw) {
        double value = number(bw.num());
        String unit = bw.unit.getText() + (bw.per == null ? "" : "/" + bw.per.getText());
        double gbps = switch (unit) {
            case "GB/s" -> value;
            case "MB/s" -> value / 1000;
            case "TB/s" -> value * 1000;
            default -> throw new Mistake(pos(bw.unit), "unknown bandwidth unit '" + unit + "': use MB/s, GB/s or TB/s");
        };
        if (!(gbps > 0) || Double.isInfinite(gbps)) {
            throw new Mistake(pos(bw.num()), "impossible bandwidth " + bw.num().getText() + " " + unit);
        }
        return gbps;
    }

    private void measured(MeasuredStmtContext m) {
        SourcePos at = pos(m);
        int a = id(m.expr(0), "core", TopoLimits.MAX_CORES);
        int b = id(m.expr(1), "core", TopoLimits.MAX_CORES);
        long latency = nonNegative(m.expr(2), "measured latency");
        if (draft.measured.size() >= TopoLimits.MAX_MEASURED) {
            throw new Mistake(at, "too many measured pairs (at most " + TopoLimits.MAX_MEASURED + ")");
        }
        draft.measured.add(new TopoMeasured(a, b, latency, at));
        draft.measuredContexts.add(context());
    }

    /** A measured CPU cost ({@link TopoCost}, e.g. one message's at each end): each one per machine, like the clock. */
    private void measuredCost(MeasuredCostStmtContext m) {
        TopoCost cost = TopoCost.of(m.cost.getText());
        SourcePos earlier = draft.costPositions.get(cost);
        if (earlier != null) {
            throw new Mistake(pos(m), "the " + cost.noun() + " is already measured at " + earlier);
        }
        draft.costs.put(cost, nonNegative(m.expr(), cost.noun()));
        draft.costPositions.put(cost, pos(m));
    }

    // ---- loops and variables ----------------------------------------------------------------------------------

    private void loop(Token var, ListContext list, Runnable body) {
        String name = var.getText();
        lookupGuard(var);
        // One scope for the whole loop, emptied per iteration (a 'let' in the body is new each time): a loop of
        // millions of iterations must cost little more than its budget count.
        Map<String, Long> scope = new HashMap<>();
        scopes.push(scope);
        try {
            forEach(list, value -> {
                scope.put(name, value);
                loopVars.addLast(new LoopVar(name, value));
                try {
                    body.run();
                } finally {
                    loopVars.removeLast();
                    // Empty between iterations, so the list's own expressions never see the loop's names.
                    scope.clear();
                }
            });
        } finally {
            scopes.pop();
        }
    }

    private void define(Token name, long value) {
        lookupGuard(name);
        scopes.peek().put(name.getText(), value);
    }

    /** Shadowing is refused: in a file this small, a second 'n' is a mistake, not a design. */
    private void lookupGuard(Token name) {
        for (Map<String, Long> scope : scopes) {
            if (scope.containsKey(name.getText())) {
                throw new Mistake(pos(name), "'" + name.getText() + "' is already defined");
            }
        }
    }

    private void step(ParserRuleContext at) {
        charge(1, at);
    }

    /** Counts {@code work} statements or iterations against the budget; past it, the compilation stops. */
    private void charge(long work, ParserRuleContext at) {
        steps = work > TopoLimits.MAX_STEPS - steps ? TopoLimits.MAX_STEPS + 1 : steps + work;
        if (steps > TopoLimits.MAX_STEPS) {
            diagnostics.fatal(pos(at), "too much work: more than " + TopoLimits.MAX_STEPS
                    + " statements and loop iterations executed (is a loop range too large?)");
            throw new TopoDiagnostics.TooMany();
        }
    }

    // ---- lists, expressions and numbers -----------------------------------------------------------------------

    /**
     * Runs {@code each} for every value of the list. Every value is work, even for a loop whose body is empty, and
     * the budget counts it: a range's whole length is charged before its first value, so a range longer than the
     * budget fails at once instead of after millions of iterations.
     */
    private void forEach(ListContext list, LongConsumer each) {
        forEach(list, each, Long.MAX_VALUE, "");
    }

    /** As {@link #forEach(ListContext, LongConsumer)}, refusing a range of more than {@code max} values first. */
    private void forEach(ListContext list, LongConsumer each, long max, String what) {
        for (ListItemContext item : list.listItem()) {
            long from = expr(item.from);
            if (item.to == null) {
                charge(1, item);
                each.accept(from);
                continue;
            }
            long to = expr(item.to);
            if (from > to) {
                throw new Mistake(pos(item), "range " + from + ".." + to + " is empty (ranges count up)");
            }
            long length = to - from < 0 ? Long.MAX_VALUE : to - from + 1; // the difference overflows past 2^63
            if (length > max) {
                throw new Mistake(pos(list), "too many entries in '" + what + "' (at most " + max + ")");
            }
            charge(length, item);
            for (long v = from; ; v++) {
                each.accept(v);
                if (v == to) {
                    break;
                }
            }
        }
    }

    private List<Long> materialize(ListContext list, int max, String what) {
        List<Long> out = new ArrayList<>();
        forEach(list, v -> {
            if (out.size() == max) {
                throw new Mistake(pos(list), "too many entries in '" + what + "' (at most " + max + ")");
            }
            out.add(v);
        }, max, what);
        return out;
    }

    private long expr(ExprContext e) {
        if (e instanceof IntExprContext i) {
            try {
                return Long.parseLong(i.INT().getText());
            } catch (NumberFormatException x) {
                throw new Mistake(pos(e), "number too large: " + abbreviate(i.INT().getText()));
            }
        } else if (e instanceof VarExprContext v) {
            String name = v.IDENT().getText();
            for (Map<String, Long> scope : scopes) {
                Long value = scope.get(name);
                if (value != null) {
                    return value;
                }
            }
            throw new Mistake(pos(e), "undefined name '" + name + "'");
        } else if (e instanceof ParenExprContext p) {
            return expr(p.expr());
        } else if (e instanceof NegExprContext n) {
            return arith(() -> Math.negateExact(expr(n.expr())), e);
        } else if (e instanceof AddExprContext a) {
            long x = expr(a.expr(0));
            long y = expr(a.expr(1));
            return arith(() -> a.op.getType() == TopoLexer.PLUS ? Math.addExact(x, y) : Math.subtractExact(x, y), e);
        } else if (e instanceof MulExprContext m) {
            long x = expr(m.expr(0));
            long y = expr(m.expr(1));
            if (m.op.getType() != TopoLexer.STAR && y == 0) {
                throw new Mistake(pos(m.expr(1)), "division by zero");
            }
            return arith(() -> switch (m.op.getType()) {
                case TopoLexer.STAR -> Math.multiplyExact(x, y);
                // floorDiv's one overflow, MIN / -1, wraps silently instead of throwing.
                case TopoLexer.SLASH -> x == Long.MIN_VALUE && y == -1 ? Math.negateExact(x) : Math.floorDiv(x, y);
                default -> Math.floorMod(x, y);
            }, e);
        }
        throw new Mistake(pos(e), "malformed expression");
    }

    private interface LongOp {
        long get();
    }

    private long arith(LongOp op, ParserRuleContext at) {
        try {
            return op.get();
        } catch (ArithmeticException x) {
            throw new Mistake(pos(at), "number too large (overflow)");
        }
    }

    /** A decimal or a whole-number expression, as a double. */
    private double number(NumContext n) {
        if (n.DECIMAL() != null) {
            return new BigDecimal(n.DECIMAL().getText()).doubleValue();
        }
        return expr(n.expr());
    }

    private long size(SizeContext s, String what) {
        double value = number(s.num());
        String unit = s.unit.getText();
        long factor = switch (unit) {
            case "B" -> 1;
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            case "TiB" -> 1L << 40;
            case "KB" -> 1000;
            case "MB" -> 1000_000;
            case "GB" -> 1000_000_000;
            case "TB" -> 1000_000_000_000L;
            default -> throw new Mistake(pos(s.unit), "unknown size unit '" + unit
                    + "': use B, KiB, MiB, GiB, TiB (or KB, MB, GB, TB for powers of 1000)");
        };
        if (value < 0) {
            throw new Mistake(pos(s.num()), "impossible " + what + ": " + s.num().getText() + " " + unit
                    + " is negative");
        }
        BigDecimal bytes = (s.num().DECIMAL() != null ? new BigDecimal(s.num().DECIMAL().getText())
                : BigDecimal.valueOf((long) value)).multiply(BigDecimal.valueOf(factor));
        if (bytes.compareTo(BigDecimal.valueOf(1L << 60)) > 0) {
            throw new Mistake(pos(s), "impossible " + what + ": too large");
        }
        if (bytes.stripTrailingZeros().scale() > 0) {
            throw new Mistake(pos(s), what + " must be a whole number of bytes");
        }
        return bytes.longValueExact();
    }

    private long nonNegative(ExprContext e, String what) {
        long v = expr(e);
        if (v < 0) {
            throw new Mistake(pos(e), "impossible " + what + " " + v + ": cycles cannot be negative");
        }
        return v;
    }

    private int id(ExprContext e, String what, int max) {
        return checkId(expr(e), what, max, pos(e));
    }

    private int checkId(long v, String what, int max, SourcePos at) {
        if (v < 0) {
            throw new Mistake(at, what + " id " + v + " is negative");
        }
        if (v >= max) {
            throw new Mistake(at, what + " id " + v + " is too large (at most " + (max - 1) + ")");
        }
        return (int) v;
    }

    // ---- positions and reporting ------------------------------------------------------------------------------

    /** " (p = 3, c = 1)" inside loops, "" outside: which iteration a message is about. */
    private String context() {
        return loopVars.isEmpty() ? "" : loopVars.stream().map(LoopVar::toString)
                .collect(java.util.stream.Collectors.joining(", ", " (", ")"));
    }

    private void report(SourcePos at, String message) {
        diagnostics.error(at, message, context());
    }

    private SourcePos pos(ParserRuleContext c) {
        return SyntaxErrors.at(source, c.start);
    }

    private SourcePos pos(Token t) {
        return SyntaxErrors.at(source, t);
    }

    private static String abbreviate(String s) {
        return s.length() <= 24 ? s : s.substring(0, 21) + "...";
    }

    /** Keeps insertion order, for drafts. */
    static <K, V> Map<K, V> ordered() {
        return new LinkedHashMap<>();
    }
}
