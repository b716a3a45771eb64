package org.mlops4j.tracking;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The arrows of mlops-tracking (../shared/docs/architecture.md, "mlops-tracking packages"), checked on its
 * compiled classes: the stores and the server stand side by side, the URI factory knows the stores, Jetty
 * and the JDBC stack stay where they are optional or needed.
 */
class ArchitectureTest {
    private static final String TRACKING = "org.mlops4j.tracking";
    private static JavaClasses tracking;

    @BeforeAll
    static void importTracking() {
        tracking = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(TRACKING);
    }

    @Test
    void onlyTheJettyAdapterTouchesJetty() {
        noClasses().that().haveNameNotMatching("org\\.mlops4j\\.tracking\\.server\\.JettyHttpServer(\\$.*)?")
                .should().dependOnClassesThat().resideInAPackage("org.eclipse.jetty..")
                .because("Jetty is optional: it loads only when a server starts, through that one class")
                .check(tracking);
    }

    @Test
    void onlyTheJdbcStoresTouchJdbcPoolsAndMigrations() {
        noClasses().that().resideOutsideOfPackage(TRACKING + ".jdbc..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "com.zaxxer.hikari..",
                        "org.flywaydb..", "org.sqlite..", "org.postgresql..")
                .check(tracking);
    }

    @Test
    void theStoresAndTheServerStandSideBySide() {
        noClasses().that().resideInAPackage(TRACKING + ".jdbc..")
                .should().dependOnClassesThat().resideInAnyPackage(TRACKING + ".mlflow..", TRACKING + ".server..")
                .check(tracking);
        noClasses().that().resideInAPackage(TRACKING + ".mlflow..")
                .should().dependOnClassesThat().resideInAnyPackage(TRACKING + ".jdbc..", TRACKING + ".server..")
                .check(tracking);
        noClasses().that().resideInAPackage(TRACKING + ".server..")
                .should().dependOnClassesThat().resideInAnyPackage(TRACKING + ".jdbc..", TRACKING + ".mlflow..")
                .because("the server serves any store, through the tracker")
                .check(tracking);
    }

    @Test
    void theSpiAndTheSharedInternalsDependOnNoStore() {
        noClasses().that().resideInAnyPackage(TRACKING + ".spi..", TRACKING + ".internal..")
                .should().dependOnClassesThat().resideInAnyPackage(TRACKING, TRACKING + ".jdbc..", TRACKING + ".mlflow..",
                        TRACKING + ".server..")
                .check(tracking);
    }

    @Test
    void thePackagesHaveNoCycles() {
        slices().matching(TRACKING + ".(*)..").should().beFreeOfCycles().check(tracking);
    }
}
