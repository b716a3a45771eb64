package org.mlops4j.djl;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The arrows of mlops-djl: Tribuo stays in one exporter, and the quantized flavor needs no deep-learning engine. */
class ArchitectureTest {
    private static JavaClasses djl;

    @BeforeAll
    static void importClasses() {
        djl = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.mlops4j.djl");
    }

    @Test
    void onlyTheTribuoExporterKnowsTribuo() {
        noClasses().that().doNotHaveFullyQualifiedName("org.mlops4j.djl.internal.TribuoOnnx")
                .and().haveNameNotMatching("org\\.mlops4j\\.djl\\.internal\\.TribuoOnnx\\$.*")
                .should().dependOnClassesThat().resideInAPackage("org.tribuo..")
                .because("Tribuo models reach ONNX through one exporter").check(djl);
    }

    @Test
    void theQuantizedModelLoadsWithoutPyTorchOrOnnxRuntime() {
        noClasses().that().haveNameMatching("org\\.mlops4j\\.djl\\.(QuantizedDense.*|Quantize.*)")
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl..", "ai.onnxruntime..")
                .because("a quantized twin serves on mlops-quant's engine alone").check(djl);
    }
}
