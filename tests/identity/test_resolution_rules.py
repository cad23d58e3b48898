"""Each identity rule on a handful of hand-made records, negative cases included."""

from identity.resolve import IdentitySettings, resolve
from tests.identity.records import account, call, contact, record, replace_records, resolved, warehouse

SETTINGS = IdentitySettings()
SWITCHBOARD = "+862155501234"


def resolve_rows(rows):
    con = warehouse(rows)
    resolve(con, SETTINGS, "run-1")
    return con, resolved(con)


def company(account_id="001A", name="上海华腾信息技术有限公司", city="上海", domain="huateng.com.cn", **values):
    return account(account_id, name, domain=domain, city=city, phone_e164=SWITCHBOARD, **values)


def test_two_people_sharing_a_switchboard_number_are_not_merged():
    _, out = resolve_rows(
        [
            company(),
            contact("003A", "001A", "张伟", phone_e164=SWITCHBOARD, email="wei.zhang@huateng.com.cn"),
            contact("003B", "001A", "李娜", phone_e164=SWITCHBOARD, email="na.li@huateng.com.cn"),
            call("call-1", SWITCHBOARD),
        ]
    )
    assert out["003A"]["person_id"] != out["003B"]["person_id"]
    # the call belongs to the company, but to neither person
    assert out["call-1"]["customer_id"] == out["001A"]["customer_id"]
    assert out["call-1"]["person_id"] not in (out["003A"]["person_id"], out["003B"]["person_id"])
    assert out["call-1"]["match_method"] == "switchboard"


def test_a_switchboard_only_one_person_gives_as_theirs_is_that_persons_line():
    _, out = resolve_rows(
        [company(), contact("003A", "001A", "张伟", phone_e164=SWITCHBOARD), call("call-1", SWITCHBOARD)]
    )
    assert out["call-1"]["person_id"] == out["003A"]["person_id"]


def test_a_named_call_from_an_office_line_two_colleagues_share_is_the_one_it_names():
    office = "+862759186490"
    _, out = resolve_rows(
        [
            company(),
            contact("003A", "001A", "吴峰丽", phone_e164="+8618969305048", phone2_e164=office),
            contact("003B", "001A", "孙桂", phone_e164="+8613039092975", phone2_e164=office),
            record("cdr", "call-1", full_name="Fengli Wu", phone_e164=office),
            record("cdr", "call-2", full_name="Sun Gui", phone_e164=office),
            record("cdr", "call-3", full_name="Li Na", phone_e164=office),
        ]
    )
    assert out["003A"]["person_id"] != out["003B"]["person_id"]
    assert out["call-1"]["person_id"] == out["003A"]["person_id"]
    assert out["call-2"]["person_id"] == out["003B"]["person_id"]
    # a third name on the line is neither colleague
    assert out["call-3"]["person_id"] not in (out["003A"]["person_id"], out["003B"]["person_id"])


def test_two_companies_with_the_same_name_in_different_cities_are_not_merged():
    _, out = resolve_rows(
        [
            account("001A", "华腾科技有限公司", city="上海"),
            account("001B", "华腾科技有限公司", city="成都"),
        ]
    )
    assert out["001A"]["customer_id"] != out["001B"]["customer_id"]


def test_a_company_entered_twice_with_its_name_and_street_in_one_city_is_one_organization():
    # two hundred other companies, so that a name's frequency weighs what it weighs in a real CRM
    brands = [a + b for a in "华腾中科新创恒天宇金盛博远鼎信瑞丰" for b in "安泰海纳联智云宏图东方龙海"]
    others = [
        account(f"00X{i}", f"{brand}科技有限公司", city="成都", address=f"{i}号") for i, brand in enumerate(brands)
    ]
    _, out = resolve_rows(
        [
            account("001A", "成都恒达能源有限公司", city="成都", address="天府大道 88号"),
            account("001B", "成都恒达能源有限公司", city="成都", address="天府大道88号"),
            *others,
        ]
    )
    assert out["001A"]["customer_id"] == out["001B"]["customer_id"]
    assert len({out[o["source_record_id"]]["customer_id"] for o in others}) == len(others)
    assert out["001B"]["match_method"] == "probabilistic"


def test_a_service_desk_organization_with_the_accounts_web_domain_is_that_account():
    _, out = resolve_rows(
        [
            company(),
            record(
                "organizations",
                "9001",
                full_name="Shanghai Huateng IT Co., Ltd.",
                organization_name="Shanghai Huateng IT Co., Ltd.",
                domain="huateng.com.cn",
                service_organization_id=9001,
            ),
            record("users", "7001", full_name="Wei Zhang", email="wz@gmail.com", service_organization_id=9001),
        ]
    )
    assert out["9001"]["customer_id"] == out["7001"]["customer_id"] == out["001A"]["customer_id"]
    assert out["7001"]["match_method"] == "service_organization"


def test_a_mailbox_at_the_accounts_web_domain_ties_a_person_to_it():
    _, out = resolve_rows([company(), record("users", "7001", full_name="Jiefang Zhu", email="jzhu@huateng.com.cn")])
    assert out["7001"]["customer_id"] == out["001A"]["customer_id"]
    assert out["7001"]["match_method"] == "email_domain"


def test_a_name_in_characters_matches_its_pinyin_spelling_with_the_same_mobile():
    mobile = "+8613800138000"
    _, out = resolve_rows(
        [
            company(),
            contact("003A", "001A", "Wei Zhang", phone_e164=mobile),
            record("shipments", "SH1", full_name="张伟", phone_e164=mobile, crm_account_id="001A"),
            call("call-1", mobile),
        ]
    )
    assert out["003A"]["person_id"] == out["SH1"]["person_id"] == out["call-1"]["person_id"]
    assert out["call-1"]["customer_id"] == out["001A"]["customer_id"]


def test_a_duplicate_contact_with_a_typo_is_one_person_of_its_organization():
    _, out = resolve_rows(
        [
            company(),
            contact("003A", "001A", "Weifang Zhang", email="weifang.zhang@huateng.com.cn"),
            contact("003B", "001A", "Weifang Zahng", email="weifang.zahng@huateng.com.cn"),
        ]
    )
    assert out["003A"]["person_id"] == out["003B"]["person_id"]
    # the one spelling of a person's name among the organization's people, before splink's model
    assert out["003B"]["match_method"] == "name_in_organization"
    assert out["003B"]["match_probability"] == 1


def test_name_variants_on_one_mobile_are_one_person_and_the_calls_from_it_theirs():
    mobile = "+13125550142"
    _, out = resolve_rows(
        [
            company(),
            contact("003A", "001A", "Daniel Lindqvist", phone_e164=mobile),
            record("shipments", "SH1", full_name="D LINDQVIST", phone_e164=mobile, crm_account_id="001A"),
            record("shipments", "SH2", full_name="ATTN: Daniel Lindqvist", phone_e164=mobile, crm_account_id="001A"),
            record("cdr", "call-1", full_name="DANIEL LINDQVIS", phone_e164=mobile),
            call("call-2", mobile),
        ]
    )
    assert len({out[r]["person_id"] for r in ("003A", "SH1", "SH2", "call-1", "call-2")}) == 1


def test_a_number_two_colleagues_share_still_identifies_their_organization():
    team = "+13125550100"
    _, out = resolve_rows(
        [
            company(),
            contact("003A", "001A", "Aisha Taylor", phone_e164=team),
            contact("003B", "001A", "Elizabeth Taylor", phone_e164=team),
            call("call-1", team),
        ]
    )
    assert out["003A"]["person_id"] != out["003B"]["person_id"]
    assert out["call-1"]["person_id"] not in (out["003A"]["person_id"], out["003B"]["person_id"])
    assert out["call-1"]["customer_id"] == out["001A"]["customer_id"]


def test_namesakes_in_different_companies_stay_two_people():
    _, out = resolve_rows(
        [
            company(),
            account("001B", "成都恒达能源有限公司", domain="hengda.cn", city="成都"),
            contact("003A", "001A", "张伟", email="wei.zhang@huateng.com.cn"),
            contact("003B", "001B", "张伟", email="wei.zhang@hengda.cn"),
        ]
    )
    assert out["003A"]["person_id"] != out["003B"]["person_id"]


def test_a_shared_mailbox_does_not_merge_two_people():
    _, out = resolve_rows(
        [
            record("users", "7001", full_name="Wei Zhang", email="noreply@example.com"),
            record("users", "7002", full_name="Na Li", email="noreply@example.com"),
        ]
    )
    assert out["7001"]["person_id"] != out["7002"]["person_id"]


def test_a_caller_nobody_knows_is_an_unidentified_customer_and_repeat_calls_stay_together():
    con, out = resolve_rows([company(), call("call-1", "+8613911112222"), call("call-2", "+8613911112222")])
    assert out["call-1"]["customer_id"] == out["call-2"]["customer_id"] != out["001A"]["customer_id"]
    assert out["call-1"]["customer_type"] == "unidentified"
    assert out["call-1"]["match_method"] == "phone"


def test_a_person_buying_for_themself_is_one_person_customer_with_their_shipments():
    _, out = resolve_rows(
        [
            account("001P", "王芳", phone_e164="+8613700001111"),
            contact("003P", "001P", "王芳", phone_e164="+8613700001111"),
            record("shipments", "SH1", full_name="Fang Wang", crm_account_id="001P"),
        ]
    )
    assert out["001P"]["customer_type"] == "person" and out["001P"]["is_person_account"]
    assert out["001P"]["person_id"] == out["003P"]["person_id"] == out["SH1"]["person_id"]
    assert out["SH1"]["customer_id"] == out["001P"]["customer_id"]


def test_an_account_named_in_full_for_its_contacts_nickname_or_initial_is_that_person():
    _, out = resolve_rows(
        [
            account("001P", "Steven Jackson", phone_e164="+13125555170"),
            contact("003P", "001P", "Steve Jackson", email="steve_jackson1962@example.net"),
            account("001Q", "Christopher Davis", phone_e164="+13315552342"),
            contact("003Q", "001Q", "C. Davis", phone_e164="+13315552342"),
            # a company that names no one of its own contacts stays an organization
            account("001R", "Davis Hardware", phone_e164="+13315550000"),
            contact("003R", "001R", "Chris Davis", phone_e164="+13315550001"),
            # and so does a sole trader's business named after its owner
            account("001S", "John Smith Plumbing", phone_e164="+13315550002"),
            contact("003S", "001S", "John Smith", phone_e164="+13315550003"),
        ]
    )
    for account_id, contact_id in (("001P", "003P"), ("001Q", "003Q")):
        assert out[account_id]["is_person_account"] and out[account_id]["customer_type"] == "person"
        assert out[account_id]["person_id"] == out[contact_id]["person_id"] is not None
    for business in ("001R", "001S"):
        assert not out[business]["is_person_account"] and out[business]["customer_type"] == "organization"


def test_a_middle_name_on_the_contacts_mobile_is_the_contact_and_the_calls_from_it_theirs():
    mobile = "+13145553403"
    _, out = resolve_rows(
        [
            company(),
            contact("003A", "001A", "Richard Nowak", phone_e164=mobile),
            record("shipments", "SH1", full_name="Ray Nowak", phone_e164=mobile, crm_account_id="001A"),
            record("cdr", "call-1", full_name="NOWAK RAY", phone_e164=mobile),
            call("call-2", mobile),
        ]
    )
    assert len({out[r]["person_id"] for r in ("003A", "SH1", "call-1", "call-2")}) == 1


def test_a_colleague_with_a_mobile_of_his_own_is_not_a_middle_name():
    shared, own = "+17795557570", "+18155555058"
    _, out = resolve_rows(
        [
            company(),
            contact("003A", "001A", "Joseph Ramirez", phone_e164="+17795552720", phone2_e164=shared),
            record("installations", "IN1", full_name="J KING", phone_e164=shared, crm_account_id="001A"),
            record("installations", "IN2", full_name="J KING", phone_e164=own, crm_account_id="001A"),
            record("installations", "IN3", full_name="Joseph King", phone_e164=own, crm_account_id="001A"),
        ]
    )
    assert out["IN1"]["person_id"] == out["IN2"]["person_id"] == out["IN3"]["person_id"] != out["003A"]["person_id"]


def test_ids_hold_from_night_to_night_and_a_merge_is_recorded():
    first_night = [
        company(),
        contact("003A", "001A", "张伟", email="wei.zhang@huateng.com.cn"),
        record("users", "7001", full_name="Wei Zhang", email="wz@qq.com"),
    ]
    con, before = resolve_rows(first_night)
    assert before["7001"]["customer_id"] != before["001A"]["customer_id"]
    resolve(con, SETTINGS, "run-2")
    assert resolved(con)["7001"]["customer_id"] == before["7001"]["customer_id"]

    # the next night the same user's ticket names the account's order: one customer now
    first_night[-1]["crm_account_id"] = "001A"
    replace_records(con, first_night)
    resolve(con, SETTINGS, "run-3")
    after = resolved(con)
    assert after["7001"]["customer_id"] == after["001A"]["customer_id"] == before["001A"]["customer_id"]
    history = con.sql(
        "select previous_id, current_id, change, run_id from identity.customer_id_history where level = 'customer'"
    ).fetchall()
    assert history == [(before["7001"]["customer_id"], before["001A"]["customer_id"], "merge", "run-3")]


def test_a_resolution_reports_each_phase_as_it_ends():
    lines = []
    resolve(
        warehouse([company(), contact("003A", "001A", "张伟"), call("call-1", SWITCHBOARD)]),
        SETTINGS,
        "run-1",
        lines.append,
    )
    assert [line.split(":")[1].split()[0] for line in lines] == [
        "3",
        "organizations",
        "persons",
        "customers",
        "written",
    ], lines
    assert lines[0].startswith("identity: 3 records read and keyed (")
    assert "pairs compared" in lines[1] and lines[1].endswith(" s)")


def test_every_working_table_a_stage_creates_is_declared_in_one_place():
    import re
    from pathlib import Path

    import identity
    from identity.working import WORKING_TABLES

    used = set()
    for path in Path(identity.__file__).parent.glob("*.py"):
        used |= set(re.findall(r"identity_run_[a-z_]+[a-z]", path.read_text(encoding="utf-8")))
    keyed = {f"identity_run_{k}" for k in ("person_names", "company_names", "emails", "cities", "addresses")}
    assert used - keyed <= set(WORKING_TABLES), sorted(used - keyed - set(WORKING_TABLES))
    assert keyed <= set(WORKING_TABLES)
    # and while a resolution runs, nothing else is made
    con, _ = resolve_rows([company(), contact("003A", "001A", "张伟", phone_e164=SWITCHBOARD), call("c1", SWITCHBOARD)])
    left = {name for (name,) in con.execute("select table_name from duckdb_tables() where temporary").fetchall()}
    assert not {t for t in left if t.startswith("identity_run_")}
