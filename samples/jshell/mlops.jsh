// mlops4j in JShell: one startup file that imports every public API package.
// samples/jshell/jshell.sh passes it with --startup DEFAULT --startup samples/jshell/mlops.jsh;
// elsewhere:  jshell --class-path <mlops4j jars> --startup DEFAULT --startup mlops.jsh
// (a test checks that this list is exactly the public API packages on the samples class path).
import org.mlops4j.core.*;
import org.mlops4j.core.data.*;
import org.mlops4j.core.data.profile.*;
import org.mlops4j.core.data.validate.*;
import org.mlops4j.core.evaluate.*;
import org.mlops4j.core.model.*;
import org.mlops4j.core.model.compiled.*;
import org.mlops4j.core.model.spi.*;
import org.mlops4j.core.pipeline.*;
import org.mlops4j.core.pipeline.spi.*;
import org.mlops4j.core.registry.*;
import org.mlops4j.core.registry.memory.*;
import org.mlops4j.core.registry.spi.*;
import org.mlops4j.core.report.*;
import org.mlops4j.core.tracking.*;
import org.mlops4j.core.tracking.memory.*;
import org.mlops4j.core.tracking.spi.*;
import org.mlops4j.core.train.*;
import org.mlops4j.core.transform.*;
import org.mlops4j.core.transform.spi.*;
import org.mlops4j.core.tune.*;
import org.mlops4j.djl.*;
import org.mlops4j.quant.*;
import org.mlops4j.quant.nd4j.*;
import org.mlops4j.tracking.*;
import org.mlops4j.tracking.jdbc.*;
import org.mlops4j.tracking.mlflow.*;
import org.mlops4j.tracking.server.*;
import org.mlops4j.tracking.spi.*;
