package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.sim.CostModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/paper-calibration.md and what the simulator is calibrated with agree: the clocks of the shipped machines,
 * Table 1 in the cost model's same-core delivery, and Table 2's latency of every pair class in the machine files.
 */
class CalibrationDocTest {

    private static final Map<String, String> MACHINES = Map.of("2×4-core Intel", "intel-2x4", "2×2-core AMD",
            "amd-2x2", "4×4-core AMD", "amd-4x4", "8×4-core AMD", "amd-8x4");

    /** The rows of the markdown table under {@code heading}, as cells. */
    private static List<String[]> table(String heading) throws IOException {
        String page = Files.readString(Path.of("..", "docs", "paper-calibration.md"));
        int at = page.indexOf(heading);
        assertThat(at).as(heading + " in docs/paper-calibration.md").isNotNegative();
        List<String[]> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : page.substring(at).split("\n")) {
            if (line.startsWith("|")) {
                inTable = true;
                String[] cells = line.substring(1).split("\\|");
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = cells[i].strip();
                }
                if (MACHINES.containsKey(cells[0])) {
                    rows.add(cells);
                }
            } else if (inTable) {
                break;
            }
        }
        assertThat(rows).as("rows of " + heading).isNotEmpty();
        return rows;
    }

    private static long leadingNumber(String cell) {
        Matcher m = Pattern.compile("^(\\d+)").matcher(cell);
        assertThat(m.find()).as("a number at the start of '" + cell + "'").isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void theShippedMachinesRunAtTheClocksOfThePaper() throws IOException {
        for (String[] row : table("## The machines")) {
            Machine machine = Machines.load(MACHINES.get(row[0]));
            double ghz = Double.parseDouble(row[2].replaceAll(" GHz.*", ""));
            assertThat(machine.clockGhz()).as(row[0]).isEqualTo(ghz);
        }
    }

    @Test
    void sameCoreDeliveryIsHalfOfTableOne() throws IOException {
        List<String[]> rows = table("## Table 1");
        assertThat(rows).hasSize(4);
        for (String[] row : rows) {
            Machine machine = Machines.load(MACHINES.get(row[0]));
            assertThat(CostModel.calibrated(machine).lrpcCycles()).as(row[0]).isEqualTo(leadingNumber(row[1]) / 2);
        }
    }

    @Test
    void theMachineFilesCarryTableTwosLatencies() throws IOException {
        List<String[]> rows = table("## Table 2");
        assertThat(rows).hasSize(10);
        for (String[] row : rows) {
            Machine m = Machines.load(MACHINES.get(row[0]));
            IntPredicate pair = switch (row[1]) {
                case "shared L2", "shared L3" -> b -> m.closestSharedCache(0, b).isPresent();
                case "same die" -> b -> m.packageOf(b).id() == m.packageOf(0).id();
                case "not shared" -> b -> m.closestSharedCache(0, b).isEmpty();
                case "one hop" -> b -> m.packageHops(m.packageOf(0).id(), m.packageOf(b).id()) == 1;
                case "two hops" -> b -> m.packageHops(m.packageOf(0).id(), m.packageOf(b).id()) == 2;
                default -> throw new AssertionError("pair class '" + row[1] + "' in Table 2");
            };
            int partner = -1;
            for (int b = 1; b < m.coreCount() && partner < 0; b++) {
                partner = pair.test(b) ? b : -1;
            }
            assertThat(partner).as(row[0] + " has a " + row[1] + " pair with core 0").isPositive();
            assertThat(m.latency(0, partner)).as(row[0] + ", " + row[1] + " (cores 0 and " + partner + ")")
                    .isEqualTo(leadingNumber(row[2]));
        }
    }
}
