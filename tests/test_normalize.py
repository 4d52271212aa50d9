from cleaner.normalize import fix_text, normalize_line, split_lines


def test_mojibake_and_entities_are_fixed_but_quotes_kept() -> None:
    assert fix_text("SchÃ¶ne GrÃ¼ÃŸe") == "Schöne Grüße"
    assert fix_text("AT&amp;T sagt &bdquo;nein&ldquo;") == "AT&T sagt „nein“"
    assert fix_text("„Betrüger“ and ‘quoted’") == "„Betrüger“ and ‘quoted’"


def test_invisible_characters_and_spaces() -> None:
    text, _ = normalize_line("Zero\u200bwidth soft\u00adhyphen\u00a0nbsp\t tab  double")
    assert text == "Zerowidth softhyphen nbsp tab double"


def test_invisible_operators_go_so_a_sentence_still_ends() -> None:
    # a post copied from Instagram ends every line in an "invisible separator" (U+2063)
    text, _ = normalize_line("Stir fry to mix well.\u2063")
    assert text == "Stir fry to mix well."


def test_zwnj_is_kept_for_persian() -> None:
    assert normalize_line("می\u200cخواهم")[0] == "می\u200cخواهم"


def test_bullets_become_dashes() -> None:
    for bullet in "•·▪–*":
        assert normalize_line(f"  {bullet} item text") == ("- item text", True)
    assert normalize_line("— Sam Altman (@sama) February 10, 2025")[1] is False


def test_nfc() -> None:
    assert normalize_line("Cafe\u0301")[0] == "Café"


def test_line_offsets_cover_crlf_and_cr() -> None:
    lines = split_lines("one\r\ntwo\rthree\nfour")
    assert [(l.start, l.raw) for l in lines] == [(0, "one"), (5, "two"), (9, "three"), (15, "four")]


def test_a_dialogue_dash_is_kept_and_a_dash_list_is_a_list() -> None:
    # Swedish, Danish, Polish, Czech, Finnish news open what someone says with an en dash
    from cleaner import CleanConfig, clean_text

    said = "– Vi ser att inflationen faller, säger riksbankschefen på en presskonferens."
    text = f"Räntan sänks igen\n\n{said}\n\nBankerna brukar följa efter inom några dagar.\n\n– ett\n– två\n"
    result = clean_text(text, CleanConfig(detect_language=False))
    assert said in result.text
    assert "- ett\n- två" in result.text
    assert clean_text(result.text, CleanConfig(detect_language=False)).text == result.text
