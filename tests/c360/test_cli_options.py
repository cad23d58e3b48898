"""What the commands take, refused with a message before anything is written or served."""

import pytest

from c360.cli import build_parser


@pytest.mark.parametrize("command", [["demo", "--api-port"], ["dashboard", "--port"], ["docs", "--port"]])
@pytest.mark.parametrize("port", ["189213", "0", "-1", "http"])
def test_a_port_no_server_can_listen_on_is_refused_naming_the_range(command, port, capsys):
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args([*command, port])
    assert exit_.value.code == 2
    assert "give a number from 1 to 65535" in capsys.readouterr().err


def test_a_port_in_range_is_taken():
    assert build_parser().parse_args(["demo", "--api-port", "65535"]).api_port == 65535
