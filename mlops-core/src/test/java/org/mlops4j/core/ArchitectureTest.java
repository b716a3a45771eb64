package org.mlops4j.core;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The arrows of the architecture (../shared/docs/architecture.md, "Guardrails"), checked on mlops-core's
 * compiled classes: a new import that crosses one fails the build, naming the classes.
 */
class ArchitectureTest {
    private static final String CORE = "org.mlops4j.core";
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(CORE);
    }

    @Test
    void onlyTheTribuoAdapterImportsTribuo() {
        noClasses().that().resideOutsideOfPackage(CORE + ".internal.tribuo..")
                .should().dependOnClassesThat().resideInAPackage("org.tribuo..")
                .because("Tribuo is one trainer/flavor among others; only core.internal.tribuo may know it")
                .check(core);
    }

    @Test
    void theOptionalChartAndProgressLibrariesStayInTheirOneClassEach() {
        noClasses().that().doNotHaveFullyQualifiedName(CORE + ".tune.StudyCharts")
                .and().doNotHaveFullyQualifiedName(CORE + ".report.CardCharts")
                .should().dependOnClassesThat().resideInAnyPackage("org.jfree..")
                .because("JFreeChart is optional: only StudyCharts and CardCharts may load it, after checking it is there")
                .check(core);
        noClasses().that().doNotHaveFullyQualifiedName(CORE + ".tune.ConsoleProgress")
                .should().dependOnClassesThat().resideInAnyPackage("me.tongfei..")
                .because("the progress bar library is optional: only ConsoleProgress may load it, after checking it is there")
                .check(core);
    }

    @Test
    void theConcernsDependOnEachOtherWithoutCycles() {
        slices().assignedFrom(CONCERNS).should().beFreeOfCycles().check(core);
    }

    @Test
    void dataKnowsNothingOfModelsTrackingOrTheRegistry() {
        noClasses().that().resideInAPackage(CORE + ".data..")
                .should().dependOnClassesThat().resideInAnyPackage(CORE + ".tracking..", CORE + ".registry..", CORE + ".model..")
                .check(core);
    }

    @Test
    void modelsDoNotKnowTheRegistry() {
        noClasses().that().resideInAPackage(CORE + ".model..")
                .should().dependOnClassesThat().resideInAPackage(CORE + ".registry..")
                .because("the registry loads models (registry.predictor(ref)), not the other way round")
                .check(core);
    }

    @Test
    void coreImportsNoWebServerDatabaseOrVectorApi() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..", "java.sql..", "javax.sql..",
                "jdk.incubator.vector..", "org.nd4j..", "ai.djl..").check(core);
    }

    @Test
    void theConcernsNeverReachThroughTheFrontDoor() {
        noClasses().that().resideInAPackage(CORE + ".*..")
                .should().dependOnClassesThat().haveFullyQualifiedName(CORE + ".Pipeline")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(CORE + ".PipelineResult")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(CORE + ".PipelineRunner")
                .because("concern packages may use the front door's values (Task, the exceptions), not the pipeline")
                .check(core);
    }

    @Test
    void apisUseTheirStoreContractsNotTheInMemoryStoresSaveForTheirInMemoryFactories() {
        classes().that().resideInAnyPackage(CORE + ".tracking", CORE + ".registry")
                .should(dependOnMemoryOnlyFrom("inMemory"))
                .check(core);
    }

    @Test
    void spiPackagesHoldContractsNotImplementations() {
        noClasses().that().resideInAPackage(CORE + "..spi")
                .and().areNotInterfaces().and().areNotRecords().and().areNotEnums()
                .and().areNotAssignableTo(Throwable.class)
                .and().doNotHaveSimpleName("RunFilter")   // the MLflow filter grammar every store shares
                .should().haveModifier(JavaModifier.PUBLIC)
                .because("an spi package is what a module author implements; implementations live beside their API")
                .allowEmptyShould(true)
                .check(core.that(DescribedPredicate.describe("top-level", (JavaClass c) -> c.getEnclosingClass().isEmpty())));
    }

    @Test
    void publicApiSignaturesNeverExposeInternalTypes() {
        classes().that().resideOutsideOfPackage(CORE + ".internal..").and().arePublic()
                .should(exposeNoInternalTypes())
                .check(core);
    }

    /** One slice per concern (its subpackages included); internal.tribuo is a slice of its own; the front door is none. */
    private static final SliceAssignment CONCERNS = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            String p = c.getPackageName();
            if (!p.startsWith(CORE + ".")) {
                return SliceIdentifier.ignore();
            }
            String rest = p.substring(CORE.length() + 1);
            if (rest.startsWith("internal.tribuo")) {
                return SliceIdentifier.of("internal.tribuo");
            }
            int dot = rest.indexOf('.');
            return SliceIdentifier.of(dot < 0 ? rest : rest.substring(0, dot));
        }

        @Override
        public String getDescription() {
            return "mlops-core's concern packages";
        }
    };

    private static ArchCondition<JavaClass> dependOnMemoryOnlyFrom(String factory) {
        return new ArchCondition<>("depend on ..memory.. only from their " + factory + "() factories") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                for (Dependency d : c.getDirectDependenciesFromSelf()) {
                    if (!d.getTargetClass().getPackageName().endsWith(".memory")) {
                        continue;
                    }
                    boolean fromFactory = d.getOriginClass().equals(c) && d.getDescription().contains("." + factory + "()");
                    if (!fromFactory) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                }
            }
        };
    }

    private static ArchCondition<JavaClass> exposeNoInternalTypes() {
        return new ArchCondition<>("expose no core.internal type in a public or protected signature") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                for (JavaMember m : c.getMembers()) {
                    Set<JavaModifier> mods = m.getModifiers();
                    if (!mods.contains(JavaModifier.PUBLIC) && !mods.contains(JavaModifier.PROTECTED)) {
                        continue;
                    }
                    if (m instanceof JavaCodeUnit u) {
                        check(u.getRawReturnType(), u, events);
                        u.getRawParameterTypes().forEach(t -> check(t, u, events));
                    }
                }
            }

            private void check(JavaClass type, JavaMember m, ConditionEvents events) {
                if (type.getPackageName().startsWith(CORE + ".internal")) {
                    events.add(SimpleConditionEvent.violated(m, m.getFullName() + " exposes " + type.getName()));
                }
            }
        };
    }
}
