from probation_diary.ui import app


def test_unopenable_diary_is_a_clear_error_and_exit_2(qapp, tmp_path, fake_dialogs):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    assert app.run(str(folder)) == 2
    assert fake_dialogs.errors and "could not be opened" in fake_dialogs.errors[0]
