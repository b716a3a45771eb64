"""scikit-learn baseline for the house-price sample (not part of the build).

Same protocol as samples/.../HousePrices.java: Boston housing without column B, median imputation and
standardization fitted inside each fold, RandomForestRegressor(n_estimators=100), 5-fold shuffled CV.
Fold assignments differ from mlops4j's (different RNGs), so several seeds are reported.

    python3 benchmarks/baseline/sklearn_house_prices.py samples/data/boston_house_prices.csv
"""
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.model_selection import KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

path = sys.argv[1] if len(sys.argv) > 1 else "samples/data/boston_house_prices.csv"
with open(path) as f:
    f.readline()  # count line
    header = [h.strip('"') for h in f.readline().strip().split(",")]
data = np.loadtxt(path, delimiter=",", skiprows=2)
keep = [i for i, h in enumerate(header) if h not in ("B", "MEDV")]
X, y = data[:, keep], data[:, header.index("MEDV")]

print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, {X.shape[0]} rows x {X.shape[1]} features")
means = []
for seed in range(5):
    model = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(),
                          RandomForestRegressor(n_estimators=100, random_state=seed))
    start = time.perf_counter()
    scores = -cross_val_score(model, X, y, cv=KFold(5, shuffle=True, random_state=seed),
                              scoring="neg_root_mean_squared_error")
    elapsed = time.perf_counter() - start
    means.append(scores.mean())
    print(f"seed {seed}: cv_rmse {scores.mean():.4f} ± {scores.std():.4f}  ({elapsed:.2f} s for 5 fits)")
print(f"mean over seeds: {np.mean(means):.4f}  (spread of the seed means {np.std(means):.4f})")
