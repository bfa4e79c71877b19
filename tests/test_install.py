"""A wheel installed outside the repository extracts through its console command."""
import subprocess
import sys
import sysconfig

import pyarrow.parquet as pq

from conftest import ROOT


def test_the_wheel_installed_in_a_fresh_venv_extracts_a_file_from_another_folder(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check",
                    "-w", str(wheels), str(ROOT)], check=True, cwd=tmp_path)
    (wheel,) = wheels.glob("zh_facts-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--no-deps", "--quiet", "--disable-pip-version-check",
                    str(wheel)], check=True)
    # Its dependencies from this environment's site-packages: as a plain path, whose .pth
    # files (this checkout's editable install) are not run.
    site = subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    with open(f"{site}/zz_dependencies.pth", "w", encoding="utf-8") as handle:
        handle.write(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.txt").write_text("今年全区市场主体20798户，其中企业8070户。", encoding="utf-8")
    result = subprocess.run([str(venv / "bin" / "zh-facts"), "extract", "a.txt", "--out", "out", "--date", "2024-11-01"],
                            capture_output=True, text=True, cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    rows = pq.read_table(elsewhere / "out" / "facts.parquet").to_pylist()
    assert [(row["text"], row["period"]) for row in rows] == [("20798户", "2024"), ("8070户", "2024")]
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import pipeline, pipeline.paths as p; "
                            "print(pipeline.__file__); print(p.DEFAULT_RULES)"],
                           capture_output=True, text=True, check=True, cwd=elsewhere).stdout.split()
    assert all(str(venv) in line for line in where)  # the installed package and its own rules
    version = subprocess.run([str(venv / "bin" / "zh-facts"), "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and "rules" in version.stdout
