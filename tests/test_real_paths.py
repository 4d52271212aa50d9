"""The run planner's path resolution (cleaner.files.RealPaths) answers as Path.resolve() does."""

from __future__ import annotations

import os
from pathlib import Path

from cleaner.files import RealPaths, inside, iter_inputs


def _tree(root: Path) -> None:
    (root / "in" / "a" / "b").mkdir(parents=True)
    (root / "out").mkdir()
    (root / "elsewhere").mkdir()
    (root / "in" / "a" / "x.txt").write_text("x")
    (root / "in" / "a" / "b" / "y.html").write_text("y")
    (root / "in" / "link_dir").symlink_to(root / "in" / "a")
    (root / "in" / "rel_link").symlink_to(Path("a") / ".." / "a" / "b")
    (root / "in" / "file_link.txt").symlink_to(root / "in" / "a" / "x.txt")
    (root / "in" / "out_link.txt").symlink_to(root / "elsewhere" / "secret.txt")  # dangling
    (root / "out" / "escape").symlink_to(root / "elsewhere")
    (root / "in" / "loop").symlink_to(root / "in" / "loop")


def test_real_paths_are_those_of_path_resolve(tmp_path: Path, monkeypatch) -> None:
    _tree(tmp_path)
    monkeypatch.chdir(tmp_path / "in")
    names = ["a/x.txt", "a/b/y.html", "link_dir/x.txt", "link_dir/b/new.txt", "rel_link/y.html",
             "file_link.txt", "out_link.txt", "../out/escape/x.txt", "../out/new/x.json", "loop",
             "a/../a/x.txt", "link_dir/../x", ".", "a/", "missing/deeper/z.txt", str(tmp_path / "out")]
    real = RealPaths()
    for _ in range(2):  # the second time from what it kept
        for name in names:
            if name == "loop":  # Path.resolve raises on a loop; realpath returns the link's path
                assert real(Path(name)) == os.path.realpath(name)
                continue
            assert real(Path(name)) == str(Path(name).resolve()), name


def test_inputs_found_are_the_same_as_with_path_resolve(tmp_path: Path) -> None:
    _tree(tmp_path)
    root = tmp_path / "in"
    expected = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name != "loop" and path.resolve().is_file() and path.resolve().is_relative_to(root.resolve()):
                expected.append(path)
    found = list(iter_inputs(root))
    assert found == expected
    assert [p.relative_to(root).as_posix() for p in found] == ["file_link.txt", "a/x.txt", "a/b/y.html"]


def test_inside_is_is_relative_to() -> None:
    for path, root in [("/a/b", "/a"), ("/ab", "/a"), ("/a", "/a"), ("/a", "/"), ("/", "/a"), ("/a/b/", "/a/b")]:
        assert inside(path, root) == Path(path).is_relative_to(root), (path, root)


def test_a_symlink_loop_in_the_input_is_skipped(tmp_path: Path) -> None:
    """It made Path.resolve() raise, and the whole run stop with a traceback."""
    from .test_reliability import SEED, run

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes(SEED)
    (src / "loop").symlink_to(src / "loop")
    result = run("clean", str(src), "-o", str(tmp_path / "out"), "--no-language", "-q")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.json", "a.txt"]
