package org.mlops4j.serving;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The arrows of mlops-serving: concerns side by side under the core, Jetty only in the adapter, no Tribuo. */
class ArchitectureTest {
    private static final String SERVING = "org.mlops4j.serving";
    private static JavaClasses serving;

    @BeforeAll
    static void importServing() {
        serving = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(SERVING);
    }

    @Test
    void onlyTheHttpAdapterTouchesJetty() {
        noClasses().that().resideOutsideOfPackage(SERVING + ".http..").should().dependOnClassesThat().resideInAPackage("org.eclipse.jetty..")
                .because("Jetty is optional: an application can mount the core in its own server").check(serving);
    }

    @Test
    void theConcernsDoNotReachUp() {
        noClasses().that().resideInAnyPackage(SERVING + ".protocol..", SERVING + ".drift..", SERVING + ".metrics..", SERVING + ".routing..")
                .should().dependOnClassesThat().resideInAnyPackage(SERVING, SERVING + ".http..").check(serving);
        noClasses().that().resideInAnyPackage(SERVING + ".protocol..", SERVING + ".metrics..")
                .should().dependOnClassesThat().resideInAnyPackage(SERVING + ".routing..", SERVING + ".drift..").check(serving);
        noClasses().that().resideInAPackage(SERVING + ".drift..").should().dependOnClassesThat().resideInAPackage(SERVING + ".routing..").check(serving);
    }

    @Test
    void servingNeverTouchesTribuo() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.tribuo..")
                .because("models are reached through the core's Predictor").check(serving);
    }
}
