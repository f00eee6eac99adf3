"""What the window remembers, and what it assumes on a first start."""

from simulator.window.settings import Settings, load_settings, save_settings


def test_a_first_start_follows_a_chinese_system_locale(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_SIM_CONFIG", str(tmp_path))
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert load_settings().language == "zh"


def test_a_first_start_elsewhere_is_in_english(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_SIM_CONFIG", str(tmp_path))
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    assert load_settings().language == "en"


def test_a_saved_language_wins_over_the_locale(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_SIM_CONFIG", str(tmp_path))
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    save_settings(Settings(language="en"))
    assert load_settings().language == "en"


def test_a_text_size_out_of_range_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_SIM_CONFIG", str(tmp_path))
    (tmp_path / "window.json").write_text('{"text_size": 9}', "utf-8")
    assert load_settings().text_size == 1.0


def test_the_trainees_name_belongs_to_the_data_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_SIM_CONFIG", str(tmp_path / "config"))
    monkeypatch.setenv("RETENTION_SIM_DATA", str(tmp_path / "ann"))
    save_settings(Settings(trainee="Ann", language="zh"))
    monkeypatch.setenv("RETENTION_SIM_DATA", str(tmp_path / "bo"))  # the next trainee's data, same PC
    assert load_settings().trainee == "" and load_settings().language == "zh"
    monkeypatch.setenv("RETENTION_SIM_DATA", str(tmp_path / "ann"))
    assert load_settings().trainee == "Ann"


def test_a_name_in_an_old_shared_settings_file_greets_nobody(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_SIM_CONFIG", str(tmp_path))
    monkeypatch.setenv("RETENTION_SIM_DATA", str(tmp_path / "data"))
    (tmp_path / "window.json").write_text('{"trainee": "Ann"}', "utf-8")
    assert load_settings().trainee == ""
