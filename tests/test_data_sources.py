"""Real data: the CSV parser (good files and every error), loaders, PCA and standardisation
against scikit-learn (tests only), the plotted plane, dragging a real class, and the page's
data source switching and uploads under AppTest."""

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import load_iris, load_wine
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler
from streamlit.testing.v1 import AppTest

from playground.controller import upload_result
from playground.session import PlaygroundSession
from playground.settings import DEFAULTS, from_query, to_query
from softmax_core import predict
from softmax_core.datasets import MAX_ROWS, head, load_builtin, parse_csv, pca, standardisation

APP = Path(__file__).resolve().parent.parent / "app.py"


# --- parser ------------------------------------------------------------------------------
def test_builtin_sets_match_scikit_learn():
    for name, loader in (("iris", load_iris), ("wine", load_wine)):
        data, ref = load_builtin(name), loader()
        np.testing.assert_array_equal(data.X, ref.data)
        np.testing.assert_array_equal(data.y, ref.target)
        assert data.n_classes == 3 and data.n_features == ref.data.shape[1]
    assert load_builtin("iris").class_names == ("setosa", "versicolor", "virginica")
    with pytest.raises(ValueError, match="unknown built-in"):
        load_builtin("mnist")


def test_good_file_any_labels_sorted_and_mapped():
    text = "height;weight;kind\n1.5;60;cat\n1.7;70;dog\n1.6;65;cat\n\n1.9;90;bird\n"
    data = parse_csv(text.encode())
    assert data.feature_names == ("height", "weight") and data.label_name == "kind"
    assert data.class_names == ("bird", "cat", "dog")
    np.testing.assert_array_equal(data.y, [1, 2, 1, 0])
    numeric = parse_csv(b"a,b,label\n1,2,10\n3,4,9\n5,6,10\n")
    assert numeric.class_names == ("9", "10")  # numeric labels sort as numbers
    named = parse_csv(b"class,a,b\nx,1,2\ny,3,4\n")  # a column called class is the label
    assert named.feature_names == ("a", "b") and named.class_names == ("x", "y")
    assert head(named, 1) == {"a": [1.0], "b": [2.0], "class": ["x"]}


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x00\x01\x02PK\x03\x04", "not a CSV text file"),
        (bytes(range(128, 256)) * 20, "not a CSV text file"),
        (b"1,2,3\n4,5,6\n", "add a header row"),
        (b"a,b,label\n", "no data rows"),
        (b"onlyone\n1\n", "single column"),
        (b"a,label\n1,x\n2,y\n", "at least 2 numeric feature columns"),
        (b"a,b,label\n1,oops,x\n2,3,y\n", "Non-numeric value 'oops' at line 2, column 'b'"),
        (b"a,b,label\n1,2,x\n3,,y\n", "Missing value at line 3, column 'b'"),
        (b"a,b,label\n1,2,x\n3,NaN,y\n", "Missing value at line 3, column 'b'"),
        (b"a,b,label\n1,2,x\n3,inf,y\n", "line 3, column 'b' is not finite"),
        (b"a,b,label\n1,2,x\n3,4,\n", "Missing label at line 3"),
        (b"a,b,label\n1,2,x\n3,4,x\n", "a classifier needs at least 2 classes"),
        (b"a,b,label\n" + b"".join(b"%d,1,c%d\n" % (i, i) for i in range(7)), "at most 6"),
        (b"a,b,label\n1,2,x\n3,4\n", "Line 3 has 2 fields"),
        (b"a,a,label\n1,2,x\n", "names column 'a' twice"),
        (b"a,,label\n1,2,x\n", "Column 2 has no name"),
    ],
)
def test_bad_files_raise_a_message_naming_the_problem(raw, fragment):
    with pytest.raises(ValueError, match=None) as err:
        parse_csv(raw)
    assert fragment in str(err.value)


def test_row_limit_and_duplicates():
    rows = "".join(f"{i},{i % 7},{'ab'[i % 2]}\n" for i in range(MAX_ROWS + 1))
    with pytest.raises(ValueError, match=f"limit is {MAX_ROWS}"):
        parse_csv("x,y,label\n" + rows)
    data = parse_csv(b"x,y,label\n1,2,a\n1,2,a\n3,4,b\n")
    assert data.X.shape == (3, 2) and "1 row(s) repeat" in data.warnings[0]


def test_upload_result_never_raises_and_keeps_the_name():
    error, data = upload_result(b"\x00\x00", "photo.csv")
    assert data is None and error.startswith("photo.csv: ") and "unchanged" in error
    error, data = upload_result(b"a,b,label\n1,2,x\n3,4,y\n", "ok.csv")
    assert error is None and data.name == "ok.csv"


# --- PCA and standardisation against scikit-learn ---------------------------------------
@pytest.mark.parametrize("name", ["iris", "wine"])
def test_pca_matches_scikit_learn_up_to_sign(name):
    X = load_builtin(name).X
    X = (X - X.mean(0)) / X.std(0)
    mean, V, variance = pca(X, 2)
    ref = PCA(n_components=2, svd_solver="full").fit(X)
    np.testing.assert_allclose(mean, ref.mean_, atol=1e-12)
    np.testing.assert_allclose(variance, ref.explained_variance_, rtol=1e-10)
    for j in range(2):
        np.testing.assert_allclose(abs(V[:, j] @ ref.components_[j]), 1.0, atol=1e-10)
    np.testing.assert_allclose(V.T @ V, np.eye(2), atol=1e-12)


def test_standardisation_matches_scikit_learn_and_handles_constant_columns():
    X = load_builtin("wine").X
    mean, scale = standardisation(X)
    ref = StandardScaler().fit(X)
    np.testing.assert_allclose(mean, ref.mean_, rtol=1e-12)
    np.testing.assert_allclose(scale, ref.scale_, rtol=1e-12)
    _, scale = standardisation(np.array([[1.0, 2.0], [1.0, 3.0]]))
    assert scale[0] == 1.0


# --- the plotted plane -------------------------------------------------------------------
@pytest.mark.parametrize("use_pca", [False, True])
def test_frames_carry_the_exact_slice_of_the_model(use_pca):
    s = PlaygroundSession(DEFAULTS.with_(source="wine", pca=use_pca, plot_x=6, plot_y=12))
    s.advance(3)
    frame = s.frame()  # the state now (advance steps after its last frame)
    W, b = s.trainer.W, s.trainer.b
    plane = s.plane
    rng = np.random.default_rng(0)
    p = rng.standard_normal((50, 2))
    x = plane.m + p @ plane.V.T  # points of the plane in feature space
    z_full = x @ W + b
    z_view = p @ np.array(frame["W"]) + np.array(frame["b"])
    np.testing.assert_allclose(z_view, z_full, atol=1e-4)  # frames are rounded to 1e-6
    if not use_pca:
        assert plane.names[0].startswith("flavanoids") and plane.names[1].startswith("proline")
        np.testing.assert_array_equal(s.P, s.X[:, [6, 12]])


def test_server_arrows_are_the_plane_part_of_the_input_gradient():
    s = PlaygroundSession(DEFAULTS.with_(source="iris"))
    s.advance(5)
    arrows = s.plane_arrows()
    from softmax_core import input_gradients

    g = input_gradients(s.trainer.W, s.trainer.b, s.X, s.y)
    np.testing.assert_allclose(arrows, -g @ s.plane.V, atol=1e-12)
    two = PlaygroundSession(DEFAULTS.with_(source="iris", features=(2, 3), plot_x=2, plot_y=3))
    assert two.plane_arrows() is None  # the view computes them exactly from 2-D points


def test_dragging_a_real_class_translates_it_in_the_plane_and_keeps_training():
    s = PlaygroundSession(DEFAULTS.with_(source="iris", pca=True))
    s.advance(10)
    W, step = s.trainer.W.copy(), s.trainer.step_count
    X, P, centres = s.X.copy(), s.P.copy(), s.centres_2d()
    target = (centres[1][0] + 0.5, centres[1][1] - 0.25)
    s.move_centre(1, *target)
    moved = s.y == 1
    np.testing.assert_allclose(s.P[moved], P[moved] + [0.5, -0.25], atol=1e-12)
    np.testing.assert_array_equal(s.P[~moved], P[~moved])
    np.testing.assert_allclose(s.X[moved] - X[moved], np.tile(s.plane.V @ [0.5, -0.25], (50, 1)))
    np.testing.assert_allclose(s.centres_2d()[1], target, atol=1e-9)
    np.testing.assert_array_equal(s.trainer.W, W)
    assert s.trainer.step_count == step
    s.advance(2)
    assert s.trainer.step_count > step
    before = s.centres_2d()
    s.move_centre(0, 1e9, -1e9)  # clamped to the view
    _, x1, y0, _ = s.centre_box()
    assert s.centres_2d()[0] == pytest.approx([x1, y0]) and s.centres_2d()[2] == before[2]


def test_standardising_changes_the_trained_features_not_the_classes():
    on = PlaygroundSession(DEFAULTS.with_(source="wine"))
    off = PlaygroundSession(DEFAULTS.with_(source="wine", standardise=False))
    train = ~on.is_test
    np.testing.assert_allclose(on.X[train].mean(0), 0, atol=1e-12)
    np.testing.assert_allclose(on.X[train].std(0), 1, atol=1e-12)
    np.testing.assert_array_equal(off.X, load_builtin("wine").X)
    np.testing.assert_array_equal(on.y, off.y)


def test_bad_columns_fall_back_with_notices():
    s = PlaygroundSession(DEFAULTS.with_(source="iris", features=(0, 9, 17), plot_x=9, plot_y=9))
    assert s.settings.features == (0, 1, 2, 3) and (s.settings.plot_x, s.settings.plot_y) == (0, 1)
    assert s.notices


# --- URL ---------------------------------------------------------------------------------
def test_data_source_travels_in_the_url_but_an_upload_cannot():
    s = DEFAULTS.with_(source="wine", standardise=False, pca=True, features=(0, 4, 12))
    back, notices = from_query(to_query(s))
    assert back == s and notices == []
    back, notices = from_query({"data": "upload"})
    assert back.source == "gauss" and "cannot travel in a link" in notices[0]
    _, notices = from_query({"f": "1,x"})
    assert "column numbers" in notices[0]


# --- the page ----------------------------------------------------------------------------
def run_app(**query) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def view_args(at: AppTest) -> dict:
    (view,) = at.get("component_instance")
    return json.loads(view.proto.json_args)


def test_switching_to_iris_and_back_restores_the_gaussian_run():
    at = run_app()
    fresh = view_args(at)
    at.selectbox(key="pg_source").select("iris").run()
    assert not at.exception
    args = view_args(at)
    # real data with more than two columns opens on the plane that shows every class
    assert args["axis_names"] == ["PC 1", "PC 2"] and args["arrows_mode"] == "server"
    assert at.query_params["data"] == "iris"
    assert any("slice of the model" in c.value for c in at.caption)
    assert "pg_n_classes" not in {s.key for s in at.slider}  # real data brings its classes
    at.toggle(key="pg_pca").set_value(False).run()
    assert view_args(at)["axis_names"][0].startswith("sepal_length")
    at.selectbox(key="pg_source").select("gauss").run()
    assert not at.exception
    back = view_args(at)
    for field in ("points", "centres", "view", "view_y", "colors", "arrows_mode", "axis_names"):
        assert back[field] == fresh[field], field
    assert [f["W"] for f in back["frames"]] == [f["W"] for f in fresh["frames"]]
    assert at.query_params["data"] == "gauss" and at.slider(key="pg_n_classes").value == 3
    assert at.query_params["pca"] == "0"  # the plane chosen for Iris is remembered


def test_link_to_wine_with_columns_and_a_link_asking_for_an_upload():
    at = run_app(data="wine", f="0,6,12", px="6", py="12", std="0")
    assert not at.exception
    args = view_args(at)
    assert args["axis_names"] == ["flavanoids", "proline"]
    assert len(args["frames"][0]["W"]) == 2 and at.multiselect(key="pg_features").value == [
        0,
        6,
        12,
    ]
    at = run_app(data="upload")
    assert any("cannot travel in a link" in w.value for w in at.warning)
    assert view_args(at)["axis_names"] is None


def test_upload_bad_then_good_then_bad_keeps_the_last_good_data():
    at = run_app()
    at.selectbox(key="pg_source").select("upload").run()
    assert any("until a file is read" in c.value for c in at.caption)
    assert view_args(at)["axis_names"] is None  # still the Gaussian classes
    at.file_uploader(key="pg_upload").set_value(("x.csv", b"\x00\x01", "text/csv")).run()
    assert not at.exception and "not a CSV text file" in at.error[0].value
    good = b"a,b,c,label\n1,2,3,x\n2,3,1,y\n3,1,2,x\n0,0,1,z\n1,1,1,y\n"
    at.file_uploader(key="pg_upload").set_value(("good.csv", good, "text/csv")).run()
    assert not at.exception and not at.error
    args = view_args(at)
    assert len(args["colors"]) == 3 and args["class_names"] == ["x", "y", "z"]
    assert any("1 = x, 2 = y, 3 = z" in c.value for c in at.caption)
    assert at.get("arrow_data_frame") or at.dataframe
    points = args["points"]
    at.file_uploader(key="pg_upload").set_value(
        ("bad.csv", b"a,b,label\n1,2,x\n3,q,y\n", "text/csv")
    ).run()
    assert "Non-numeric value 'q' at line 3, column 'b'" in at.error[0].value
    assert at.selectbox(key="pg_source").value == "upload"
    assert view_args(at)["class_names"] == ["x", "y", "z"]
    assert view_args(at)["points"] in (None, points)
    assert at.query_params["data"] == "upload"


def test_real_data_drag_event_moves_the_class_mean():
    at = run_app(data="iris")
    session = at.session_state["pg_session"]
    c = view_args(at)["centres"][2]
    at.session_state["pg_view"] = {"type": "move", "cls": 2, "x": c[0] - 1, "y": c[1], "id": "r-1"}
    at.run()
    assert not at.exception
    assert view_args(at)["centres"][2] == pytest.approx([c[0] - 1, c[1]], abs=1e-5)
    assert (predict(session.trainer.W, session.trainer.b, session.X) >= 0).all()
