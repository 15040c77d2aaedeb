package io.flotilla.plugins.tlb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.skb.Send;
import io.flotilla.skb.Skb;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanTest {

    static final Machine AMD = Machines.load("amd-8x4");
    static final Skb SKB = Skb.of(AMD);

    static ShootdownPlan plan(String variant, int cores) {
        return ShootdownProtocols.byName(variant).plan(AMD, () -> SKB, cores, 0);
    }

    @Test
    void unicastIsAStarInCoreOrder() {
        ShootdownPlan p = plan("unicast", 6);
        assertArrayEquals(new int[] {1, 2, 3, 4, 5}, p.children(0));
        assertEquals(6, p.subtree(0));
        assertEquals(1, p.depth());
    }

    @Test
    void multicastSendsOnceToEachOtherPackagesLeaderWhichForwardsInItsPackage() {
        ShootdownPlan p = plan("multicast", 10);
        assertArrayEquals(new int[] {1, 2, 3, 4, 8}, p.children(0));
        assertArrayEquals(new int[] {5, 6, 7}, p.children(4));
        assertArrayEquals(new int[] {9}, p.children(8));
        assertEquals(4, p.subtree(4));
        assertEquals(2, p.depth());
    }

    @Test
    void numaMulticastFollowsTheSkbsTreeFarthestPackageFirst() {
        ShootdownPlan p = plan("numa-multicast", 32);
        int[] root = p.children(0);
        assertEquals(10, root.length); // 7 leaders + 3 package mates
        // From package 0, packages 3, 6 and 7 are three hops away, 1 and 4 one: the far leaders come first.
        int firstHops = AMD.hops(0, root[0]);
        int lastLeaderHops = AMD.hops(0, root[6]);
        assertTrue(firstHops >= lastLeaderHops, "first " + root[0] + " last leader " + root[6]);
        assertEquals(3, firstHops);
        for (int c = 1; c < 32; c++) {
            assertTrue(p.parent(c) >= 0);
        }
    }

    @Test
    void edgelessPlanForIpi() {
        ShootdownPlan p = plan("ipi", 8);
        assertEquals(0, p.children(0).length);
        assertTrue(!p.hasEdges());
    }

    @Test
    void aPlanMustReachEveryCoreOnceFromACoreThatHasTheMessage() {
        assertThrows(IllegalArgumentException.class,
                () -> ShootdownPlan.of(3, 0, List.of(new Send(0, 1))));
        assertThrows(IllegalArgumentException.class,
                () -> ShootdownPlan.of(3, 0, List.of(new Send(1, 2), new Send(0, 1))));
        assertThrows(IllegalArgumentException.class,
                () -> ShootdownPlan.of(3, 0, List.of(new Send(0, 1), new Send(0, 2), new Send(1, 2))));
    }

    @Test
    void unknownVariantNamesTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> ShootdownProtocols.byName("smoke-signals"));
        assertTrue(e.getMessage().contains("numa-multicast"), e.getMessage());
    }

    @Test
    void skbRuleChoosesUnicastInsideOnePackageAndTheTreeAcrossPackages() {
        Skb skb = Skb.of(AMD);
        assertEquals("unicast", ShootdownProtocols.chooseInSkb(skb, 0, 2));
        assertEquals("unicast", ShootdownProtocols.chooseInSkb(skb, 0, 4));
        assertEquals("numa-multicast", ShootdownProtocols.chooseInSkb(skb, 0, 5));
        assertEquals("numa-multicast", ShootdownProtocols.chooseInSkb(skb, 0, 32));
        assertEquals("numa-multicast", ShootdownProtocols.fromSkb(skb, 0, 32).name());
    }

    @Test
    void aUserRuleAssertedFirstWins() {
        Skb skb = Skb.of(AMD);
        skb.query("assertz(tlb_shootdown_protocol(_, _, broadcast))");
        assertEquals("broadcast", ShootdownProtocols.chooseInSkb(skb, 0, 32));
    }
}
