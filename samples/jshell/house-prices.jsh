// The house-price lifecycle in JShell. From the repository root:
//   samples/jshell/jshell.sh samples/jshell/house-prices.jsh     (builds, then runs this script)
//   samples/jshell/jshell.sh                                      (an interactive shell with mlops4j loaded)
// JShell runs each complete line at once, so a chained call continues with a trailing '.'.
// Typed interactively, expressions echo their value (records print readably); a script prints explicitly.
// jshell.sh starts JShell with mlops.jsh, which imports every mlops4j API package.

var file = java.nio.file.Files.exists(java.nio.file.Path.of("samples/data/boston_house_prices.csv")) ?
        "samples/data/boston_house_prices.csv" : "data/boston_house_prices.csv";

// Load: every data set gets a content version and a profile.
var data = Csv.file(file).skipLines(1).load();
System.out.println(data.version());
System.out.println(data.profile().column("MEDV").summary());
System.out.print(data.head(3));

// Train, evaluate, track and register in one pipeline. B encodes a racial statistic: drop it.
var tracker = Tracker.inMemory();
var registry = ModelRegistry.inMemory();
var result = Pipeline.from(data).label("MEDV").drop("B").
        transform(Impute.median(), Standardize.all()).
        split(Split.trainTest(0.8).seed(42)).
        train(RandomForest.regression().trees(50).seed(42)).
        crossValidate(5).
        track(tracker, "house-prices").
        register(registry, "house-prices", "champion").
        run();
System.out.print(result.summary());
System.out.println(result.holdout());
System.out.println(registry.version("house-prices@champion"));

// Serve: the registered model takes raw rows and applies the fitted preprocessing itself.
// PTRATIO and LSTAT are left out of this row: the bundled imputer fills in their training medians.
var champion = registry.predictor("house-prices@champion");
System.out.println(champion.predict(Map.of("CRIM", 0.00632, "ZN", 18, "INDUS", 2.31, "CHAS", 0, "NOX", 0.538,
        "RM", 6.575, "AGE", 65.2, "DIS", 4.09, "RAD", 1, "TAX", 296)));
System.out.println("jshell sample done: cv_rmse=" + result.crossValidation().orElseThrow().mean("rmse"));
/exit
