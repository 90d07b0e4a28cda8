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
