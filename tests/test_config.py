"""Configuration: search order, defaults, unknown keys warn, wrong types exit 3."""

import pytest

from cbtool.config import load_config
from cbtool.errors import EnvError


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_any_file():
    cfg = load_config(None)
    assert (cfg.language, cfg.contact_overdue_days, cfg.stale_days) == ("zh", 90, 365)
    assert cfg.items().keys == ("venue", "rules", "board", "av", "ledger")
    assert cfg.source is None


def test_search_order(tmp_path, monkeypatch):
    user = tmp_path / "home" / ".config" / "cbtool"
    user.mkdir(parents=True)
    write(user / "config.toml", 'operator = "用户目录"\n')
    assert load_config(None).operator == "用户目录"
    write(tmp_path / "cbtool.toml", 'operator = "当前目录"\n')
    assert load_config(None).operator == "当前目录"
    env = write(tmp_path / "env.toml", 'operator = "环境变量"\n')
    monkeypatch.setenv("CBTOOL_CONFIG", str(env))
    assert load_config(None).operator == "环境变量"
    explicit = write(tmp_path / "explicit.toml", 'operator = "王芳"\n')
    assert load_config(str(explicit)).operator == "王芳"


def test_every_key(tmp_path):
    cfg = load_config(str(write(tmp_path / "c.toml", """
database = "~/cbtool/x.db"
language = "en"
operator = "王芳"
[members]
contact_overdue_days = 60
[checklist]
stale_days = 180
[checklist.items]
venue = "有场所"
team = "有志愿服务队"
[logs.kinds]
visit = "上门走访"
culture = "文体活动"
""")))
    assert cfg.database == "~/cbtool/x.db" and cfg.language == "en"
    assert (cfg.contact_overdue_days, cfg.stale_days) == (60, 180)
    assert cfg.items().keys == ("venue", "team")
    assert cfg.items().resolve("志愿服务队") == "team"
    kinds = cfg.kinds()
    assert kinds.label("visit") == "上门走访" and kinds.resolve("走访慰问") == "visit"
    assert kinds.resolve("文体活动") == "culture" and "study" in kinds.keys
    assert cfg.warnings == []


def test_unknown_key_is_a_warning(tmp_path):
    cfg = load_config(str(write(tmp_path / "c.toml", 'colour = "red"\n[members]\nfoo = 1\n')))
    keys = [params["key"] for _, params in cfg.warnings]
    assert keys == ["colour", "members.foo"]


@pytest.mark.parametrize("text,key", [
    ("[members]\ncontact_overdue_days = \"ninety\"\n", "members.contact_overdue_days"),
    ("[checklist]\nstale_days = -1\n", "checklist.stale_days"),
    ('language = "fr"\n', "language"),
    ("operator = 3\n", "operator"),
    ("[logs]\nkinds = 5\n", "logs.kinds"),
    ('[checklist.items]\nvenue = 1\n', "checklist.items.venue"),
])
def test_wrong_type_names_file_and_key(tmp_path, text, key):
    path = write(tmp_path / "c.toml", text)
    with pytest.raises(EnvError) as err:
        load_config(str(path))
    assert err.value.exit_code == 3
    assert key in err.value.message("en") and str(path) in err.value.message("en")


def test_cli_exit_3_on_bad_config(cli, tmp_path):
    path = write(tmp_path / "bad.toml", "[members]\ncontact_overdue_days = \"x\"\n")
    result = cli("--config", str(path), "init")
    assert result.exit_code == 3
    assert "members.contact_overdue_days" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not cli.db_path.exists()


def test_cli_warns_on_unknown_key_and_goes_on(cli, tmp_path):
    path = write(tmp_path / "c.toml", "colour = 1\n")
    result = cli("--config", str(path), "init")
    assert result.exit_code == 0
    assert "colour" in result.stderr


def test_missing_named_config_is_exit_3(cli, tmp_path):
    result = cli("--config", str(tmp_path / "nope.toml"), "init")
    assert result.exit_code == 3 and "nope.toml" in result.stderr


def test_invalid_toml_is_exit_3(cli, tmp_path):
    result = cli("--config", str(write(tmp_path / "c.toml", "a = = 1")), "init")
    assert result.exit_code == 3


def test_database_location_from_config_and_env(cli, tmp_path, monkeypatch):
    cfg = write(tmp_path / "c.toml", f'database = "{tmp_path / "from-config.db"}"\n')
    cli.ok("--config", str(cfg), "init", db=False)
    assert (tmp_path / "from-config.db").exists()
    monkeypatch.setenv("CBTOOL_DB", str(tmp_path / "from-env.db"))
    cli.ok("--config", str(cfg), "init", db=False)
    assert (tmp_path / "from-env.db").exists()


def test_default_database_in_user_data_dir(cli, tmp_path):
    cli.ok("init", db=False)
    assert (tmp_path / "home" / ".local" / "share" / "cbtool" / "cbtool.db").exists()


def test_reserved_item_key_is_refused(tmp_path):
    path = write(tmp_path / "c.toml", '[checklist.items]\nvenue = "有场所"\nname = "有名字"\n')
    with pytest.raises(EnvError) as err:
        load_config(str(path))
    assert "checklist.items.name" in err.value.message("en")
