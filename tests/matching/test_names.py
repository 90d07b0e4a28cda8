from doudi.matching.names import name_clean, name_pinyin, name_sorted


def test_homophones_share_their_toneless_pinyin():
    assert name_pinyin("王建国") == name_pinyin("王建囯") == "wangjianguo"
    assert name_pinyin("李娟") == name_pinyin("李鹃")
    assert name_pinyin("张伟") != name_pinyin("张华")


def test_surnames_are_read_as_surnames():
    # the word readings would be dan, jie, chou, qu, ceng, pu, cha
    assert [name_pinyin(n) for n in ("单雄信", "解缙", "仇英", "区志强", "曾国藩", "朴正", "查良镛")] == [
        "shanxiongxin",
        "xiejin",
        "qiuying",
        "ouzhiqiang",
        "zengguofan",
        "piaozheng",
        "zhaliangyong",
    ]
    assert (
        name_pinyin("万俟卨") == "moqixie"
        and name_pinyin("尉迟恭") == "yuchigong"
        and name_pinyin("欧阳修") == "ouyangxiu"
    )


def test_cleaning_and_character_order():
    assert name_clean(" 阿依·买买提 ") == "阿依买买提"
    assert name_clean("ＡＢ") == "AB"
    assert name_sorted("李华明") == name_sorted("李明华") != name_sorted("李明")


def test_name_plain_is_the_name_the_feature_table_compares():
    """A lookup keyed by ``name_plain`` (the verification load's name frequencies) joins the feature table's name."""
    import duckdb
    import pandas as pd

    from doudi.matching.features import name_plain, prepare

    names = [
        "王伟",
        " 王 伟 ",
        "阿依古丽·买买提",
        "张三。",
        "李,四",
        "欧阳・明",
        "\u00c5berg",
        "A\u030aberg",
        "  ",
        None,
        "王\u3000伟",
    ]
    con = duckdb.connect()
    frame = pd.DataFrame({"record_id": [str(i) for i in range(len(names))], "name": names})
    for column in ("id_number", "birth_date", "sex", "address"):
        frame[column] = None
    con.register("src", frame)
    prepare(con, "src", "f")
    compared = dict(con.execute("SELECT unique_id, name FROM f").fetchall())
    assert [name_plain(n) for n in names] == [compared[str(i)] for i in range(len(names))]
    assert name_plain("阿依古丽·买买提") == "阿依古丽买买提" and name_plain("  ") is None
