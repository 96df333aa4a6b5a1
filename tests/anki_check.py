#!/usr/bin/env python3
"""Opens dangke's Anki packages with Anki's own Python package (`anki` on PyPI).

    python3 tests/anki_check.py EXPECT.json FIRST.apkg SECOND.apkg

tests/anki.rs writes FIRST (the shipped decks), SECOND (the same decks
exported later, with one card edited and one card added) and EXPECT, what
the packages should hold. This script imports FIRST into a fresh
collection with Anki's default import options, checks the counts, note
types, decks, fields, rendered cards, sort fields and checksums, and
Anki's own database check; reviews one card; then imports SECOND and
checks that the notes were updated in place (same note ids, the review
kept) and only the added card is new. Prints "anki_check: ok" and exits 0,
or prints what differs and exits 1.
"""

import json
import os
import sqlite3
import sys
import tempfile
import zipfile

from anki.collection import (
    Collection,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)
import anki.lang
from anki.utils import field_checksum, strip_html, strip_html_media

failures = []


def check(ok, message):
    if not ok:
        failures.append(message)


def import_package(col, path):
    request = ImportAnkiPackageRequest(
        package_path=path, options=ImportAnkiPackageOptions()
    )
    return col.import_anki_package(request).log


def note_by_guid(col, guid):
    nid = col.db.scalar("select id from notes where guid = ?", guid)
    return col.get_note(nid) if nid else None


def check_raw_collection(path, expect):
    """sfld and csum exactly as Anki computes them, in the file itself."""
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            check(
                {"collection.anki2", "media"} <= names,
                f"package entries: {sorted(names)}",
            )
            check(z.read("media") == b"{}", "media map is not {}")
            z.extract("collection.anki2", tmp)
        db = sqlite3.connect(os.path.join(tmp, "collection.anki2"))
        (ver,) = db.execute("select ver from col").fetchone()
        check(ver == 11, f"schema version {ver}, expected 11")
        rows = db.execute("select flds, sfld, csum from notes").fetchall()
        check(len(rows) == expect["notes"], f"raw notes {len(rows)}")
        for flds, sfld, csum in rows:
            first = flds.split("\x1f")[0]
            check(
                str(sfld) == strip_html_media(first),
                f"sfld {sfld!r} != Anki's {strip_html_media(first)!r}",
            )
            check(
                csum == field_checksum(first),
                f"csum {csum} != Anki's {field_checksum(first)} for {first!r}",
            )
        db.close()


def main():
    expect_path, first, second = sys.argv[1:4]
    # strip_html runs in Anki's backend, which the language set-up starts.
    anki.lang.set_lang("en")
    with open(expect_path, encoding="utf-8") as f:
        expect = json.load(f)

    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(os.path.join(tmp, "collection.anki2"))
        check_raw_collection(first, expect)
        log = import_package(col, first)
        check(len(log.new) == expect["notes"], f"first import: {len(log.new)} new")
        check(col.note_count() == expect["notes"], f"notes: {col.note_count()}")
        check(col.card_count() == expect["notes"], f"cards: {col.card_count()}")

        names = {nt.name for nt in col.models.all_names_and_ids()}
        for name, count in expect["notetypes"].items():
            check(name in names, f"note type {name} missing (have {sorted(names)})")
            mid = col.models.id_for_name(name)
            found = len(col.find_notes(f"mid:{mid}")) if mid else 0
            check(found == count, f"{name}: {found} notes, expected {count}")
            model = col.models.get(mid) if mid else None
            if model and name.endswith("填空"):
                check(model["type"] == 1, f"{name} is not a cloze note type")

        decks = {d.name for d in col.decks.all_names_and_ids()}
        for name in expect["decks"]:
            check(name in decks, f"deck {name} missing (have {sorted(decks)})")
            did = col.decks.id_for_name(name)
            want = expect["deck_cards"].get(name)
            if did and want is not None:
                got = len(col.find_cards(f'did:{did}'))
                check(got == want, f"deck {name}: {got} cards, expected {want}")

        for sample in expect["samples"]:
            note = note_by_guid(col, sample["guid"])
            if note is None:
                check(False, f"no note with guid {sample['guid']} ({sample['id']})")
                continue
            text = " ".join(strip_html(f) for f in note.fields)
            for needle in sample["fields_have"]:
                check(needle in text, f"{sample['id']}: fields lack {needle!r}")
            check(
                set(sample["tags"]) <= set(note.tags),
                f"{sample['id']}: tags {note.tags}, expected {sample['tags']}",
            )
            card = note.cards()[0]
            question = strip_html(card.question())
            answer = strip_html(card.answer())
            for needle in sample["question_has"]:
                check(needle in question, f"{sample['id']}: question lacks {needle!r}: {question!r}")
            for needle in sample["question_lacks"]:
                check(needle not in question, f"{sample['id']}: question shows {needle!r}: {question!r}")
            for needle in sample["answer_has"]:
                check(needle in answer, f"{sample['id']}: answer lacks {needle!r}: {answer!r}")

        # The check always ends by saying it rebuilt the database; any
        # other line is a problem it found (and fixed) in the import.
        problems, ok = col.fix_integrity()
        found = [p for p in problems.splitlines() if p and "rebuilt and optimized" not in p]
        check(ok and not found, f"Anki's database check: {problems!r}")

        # Review one card, so the second import must keep its scheduling.
        kept = note_by_guid(col, expect["edited"]["guid"])
        note_ids = {nid: col.get_note(nid).guid for nid in col.find_notes("")}
        if kept is not None:
            card = kept.cards()[0]
            col.sched.set_due_date([card.id], "9")
            reviewed = col.get_card(card.id)
            check(reviewed.type == 2, "set_due_date did not make a review card")

        log = import_package(col, second)
        check(len(log.new) == 1, f"second import: {len(log.new)} new, expected 1")
        updated = {col.get_note(n.id.nid).guid for n in log.updated}
        check(
            expect["edited"]["guid"] in updated,
            f"edited note not updated (updated {len(log.updated)}, duplicate {len(log.duplicate)})",
        )
        check(
            col.note_count() == expect["notes"] + 1,
            f"after re-import: {col.note_count()} notes, expected {expect['notes'] + 1}",
        )
        after = {nid: col.get_note(nid).guid for nid in col.find_notes("")}
        check(
            all(after.get(nid) == guid for nid, guid in note_ids.items()),
            "re-import changed note ids",
        )
        edited = note_by_guid(col, expect["edited"]["guid"])
        if edited is not None:
            text = " ".join(strip_html(f) for f in edited.fields)
            check(expect["edited"]["now_has"] in text, f"edited note still reads {text!r}")
            card = edited.cards()[0]
            check(card.type == 2 and card.ivl > 0, "re-import lost the card's review")
        added = note_by_guid(col, expect["added_guid"])
        check(added is not None, "added card missing after re-import")
        col.close()

    if failures:
        for f in failures:
            print(f"anki_check: {f}")
        sys.exit(1)
    print(f"anki_check: ok ({expect['notes']} notes, {len(expect['notetypes'])} note types)")


if __name__ == "__main__":
    main()
