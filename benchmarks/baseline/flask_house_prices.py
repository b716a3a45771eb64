"""The lecture's deployment, as the serving baseline (not part of the build): a Flask app around a scikit-learn
RandomForestRegressor(n_estimators=100) trained on the Boston housing data (B dropped, median imputation,
standardization), answering the same Open Inference Protocol body as mlops serve's /v2/models/house-prices/infer
(one FP64 tensor [N, 12] of the columns the model reads, as mlops serve takes it; a [N, 13] tensor still carrying B
has B dropped). No validation, no monitoring.

    /usr/bin/python3 benchmarks/baseline/flask_house_prices.py PORT            Flask's own server
    gunicorn -w 2 -b 127.0.0.1:PORT --chdir benchmarks/baseline flask_house_prices:app
"""
import os
import sys

import numpy as np
from flask import Flask, jsonify, request
from sklearn.ensemble import RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

path = os.environ.get("BOSTON_CSV", os.path.join(os.path.dirname(__file__), "../../samples/data/boston_house_prices.csv"))
with open(path) as f:
    f.readline()
    header = [h.strip('"') for h in f.readline().strip().split(",")]
data = np.loadtxt(path, delimiter=",", skiprows=2)
features = [h for h in header if h != "MEDV"]
keep = [i for i, h in enumerate(features) if h != "B"]
X, y = data[:, [header.index(h) for h in features]][:, keep], data[:, header.index("MEDV")]
model = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(),
                      RandomForestRegressor(n_estimators=100, random_state=42)).fit(X, y)

app = Flask(__name__)


@app.route("/v2/models/house-prices/infer", methods=["POST"])
def infer():
    body = request.get_json()
    tensor = body["inputs"][0]
    rows = np.asarray(tensor["data"], dtype=float).reshape(tensor["shape"])
    if rows.shape[1] == len(features):  # a [N, 13] tensor still carrying B
        rows = rows[:, keep]
    pred = model.predict(rows)
    return jsonify({"model_name": "house-prices", "outputs": [
        {"name": "MEDV", "shape": [len(pred), 1], "datatype": "FP64", "data": pred.tolist()}]})


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(sys.argv[1]) if len(sys.argv) > 1 else 5001, threaded=True)
