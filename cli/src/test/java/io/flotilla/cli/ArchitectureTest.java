package io.flotilla.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules of docs/architecture.md over every main class of the build (this module is the last in the reactor and
 * sees them all): no package depends on itself through others, and the public API depends on nothing but the JDK.
 * The Maven modules already force their own dependencies one way; these rules hold inside a module too, where the
 * compiler would accept a cycle.
 */
class ArchitectureTest {

    /** The packages of flotilla-api: what generated stubs and plugins compile against. */
    static final String[] API = {
        "io.flotilla.frame..", "io.flotilla.channel..", "io.flotilla.binding..", "io.flotilla.cap..",
        "io.flotilla.transport.loopback.."
    };

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.flotilla");
    }

    @Test
    void mainCodeHasNoPackageCycle() {
        slices().matching("io.flotilla.(**)").should().beFreeOfCycles().check(main);
    }

    @Test
    void theApiDependsOnlyOnTheJdkAndItself() {
        String[] allowed = new String[API.length + 1];
        System.arraycopy(API, 0, allowed, 0, API.length);
        allowed[API.length] = "java..";
        classes().that().resideInAnyPackage(API).should().onlyDependOnClassesThat().resideInAnyPackage(allowed)
                .check(main);
    }

    @Test
    void theKernelKnowsNoPlatformTransportOrNode() {
        classes().that().resideInAnyPackage("io.flotilla.kernel", "io.flotilla.kernel.cap..", "io.flotilla.vm..",
                        "io.flotilla.agreement..")
                .should().onlyDependOnClassesThat().resideOutsideOfPackages("io.flotilla.platform..",
                        "io.flotilla.transport.urpc..", "io.flotilla.transport.net..", "io.flotilla.kernel.node..",
                        "io.flotilla.boot..")
                .check(main);
    }
}
