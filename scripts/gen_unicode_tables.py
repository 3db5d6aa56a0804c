#!/usr/bin/python3
"""Generates src/script/unicode_tables.inc: the character property and case tables behind
src/script/unicode.h, read off CPython itself (str methods, unicodedata, the sre helpers) so
that the script VM agrees with CPython 3.11 character by character.

Run it with Debian's /usr/bin/python3 (CPython 3.11, Unicode 14.0.0):

    /usr/bin/python3 scripts/gen_unicode_tables.py [output]

It writes src/script/unicode_tables.inc unless given another output path.

The output is a pure function of the interpreter's Unicode database, so re-running it with the
same interpreter reproduces the committed file byte for byte.

Table layout (all arrays sorted, looked up by binary search):
  kPropRuns[]      start << 11 | record: maximal runs of code points sharing one property record
  kPropRecords[]   {flags, decimal value}; flag bits are the kProp* constants below
  kLatin1Props[]   record of each code point < 256 (a shortcut for the common case)
  kCaseRuns[]      start << 11 | pair: runs whose code points alternate between two case
                   records (even offsets from the start use the pair's first record, odd offsets
                   its second; a plain run has both the same), which folds the long U/l/U/l
                   stretches of Latin and Cyrillic into one entry each
  kCasePairs[]     {even record, odd record}
  kCaseRecords[]   five mappings each: lower, upper, title, casefold and the sre fold key; a
                   mapping is a code point delta, or, when its bit is set in `seq_mask`, a
                   reference (offset << 2 | length) into kCaseSeqs for a multi-character mapping
  kCaseFix*        re._casefix._EXTRA_CASES: lowercase letters that sre treats as equal under
                   IGNORECASE although their lowercase forms differ (e.g. 's', 'ſ')
"""

import os
import re._casefix
import sys
import unicodedata

import _sre

EXPECTED_UNIDATA = "14.0.0"
N = 0x110000

# Property bits; unicode.cc declares the same values (checked by the generated static_asserts).
PROPS = [
    ("kPropAlpha", lambda c: c.isalpha()),
    ("kPropDecimal", lambda c: c.isdecimal()),
    ("kPropDigit", lambda c: c.isdigit()),
    ("kPropNumeric", lambda c: c.isnumeric()),
    ("kPropAlnum", lambda c: c.isalnum()),
    ("kPropSpace", lambda c: c.isspace()),
    ("kPropPrintable", lambda c: c.isprintable()),
    ("kPropUpper", lambda c: c.isupper()),
    ("kPropLower", lambda c: c.islower()),
    ("kPropTitle", lambda c: unicodedata.category(c) == "Lt"),
    # str.title() lowercases a letter after a cased character and titlecases it otherwise.
    ("kPropCased", lambda c: (c + "a").title()[-1] == "a"),
    # Final-sigma rule of str.lower(): a case-ignorable character between a cased letter and
    # the sigma is skipped both ways. ('A' c 'Σ') ends in final sigma iff c is cased or
    # ignorable; ('AΣ' c) does iff c is ignorable or not cased; only ignorable satisfies both.
    ("kPropCaseIgnorable",
     lambda c: ("A" + c + "\u03a3").lower()[-1] == "\u03c2"
     and ("A\u03a3" + c).lower()[1] == "\u03c2"),
    ("kPropXidStart", lambda c: c != "_" and c.isidentifier()),
    ("kPropXidContinue", lambda c: ("a" + c).isidentifier()),
    ("kPropLineBreak", lambda c: len(("a" + c + "b").splitlines()) == 2),
]

CASE_KINDS = ["lower", "upper", "title", "fold", "sre_fold"]


def die(msg):
    sys.exit("gen_unicode_tables: " + msg)


def check_interpreter():
    if unicodedata.unidata_version != EXPECTED_UNIDATA:
        die("need Unicode %s (CPython 3.11), got %s from %s; run /usr/bin/python3"
            % (EXPECTED_UNIDATA, unicodedata.unidata_version, sys.executable))
    if sys.version_info[:2] != (3, 11):
        die("need CPython 3.11, got %s" % sys.version.split()[0])


def property_records():
    """Returns (record of each code point, list of distinct records)."""
    record_index = {}
    records = []
    per_cp = []
    for cp in range(N):
        c = chr(cp)
        flags = 0
        for bit, (_, pred) in enumerate(PROPS):
            if pred(c):
                flags |= 1 << bit
        rec = (flags, unicodedata.decimal(c, -1))
        if rec not in record_index:
            record_index[rec] = len(records)
            records.append(rec)
        per_cp.append(record_index[rec])
    return per_cp, records


def sre_fold_keys():
    """The sre IGNORECASE key of each code point: the smallest lowercase form among the
    letters that _sre.unicode_tolower and re._casefix make equal to it."""
    extra = re._casefix._EXTRA_CASES
    for lo, others in extra.items():  # equivalence classes must be cliques for a key to exist
        cls = {lo, *others}
        for o in others:
            if {o, *extra.get(o, ())} != cls:
                die("re._casefix is not a set of equivalence classes at %#x" % lo)
    keys = []
    for cp in range(N):
        lo = _sre.unicode_tolower(cp)
        keys.append(min((lo,) + extra.get(lo, ())))
    return keys


def case_records(sre_keys):
    seqs = []  # flattened multi-character mappings
    seq_index = {}
    record_index = {}
    records = []
    per_cp = []
    for cp in range(N):
        c = chr(cp)
        maps = [c.lower(), c.upper(), c.title(), c.casefold()]
        if ord(maps[0][0]) != _sre.unicode_tolower(cp):
            die("str.lower()[0] differs from _sre.unicode_tolower at %#x" % cp)
        fields = []
        mask = 0
        for k, m in enumerate(maps):
            if len(m) == 1:
                fields.append(ord(m) - cp)
            else:
                if m not in seq_index:
                    seq_index[m] = len(seqs)
                    seqs.extend(ord(x) for x in m)
                if len(m) > 3:
                    die("mapping longer than 3 at %#x" % cp)
                fields.append(seq_index[m] << 2 | len(m))
                mask |= 1 << k
        fields.append(sre_keys[cp] - cp)
        rec = (tuple(fields), mask)
        if rec not in record_index:
            record_index[rec] = len(records)
            records.append(rec)
        per_cp.append(record_index[rec])
    return per_cp, records, seqs


def runs_constant(per_cp):
    runs = []
    prev = None
    for cp, r in enumerate(per_cp):
        if r != prev:
            runs.append((cp, r))
            prev = r
    return runs


def runs_alternating(per_cp):
    """Greedy cover by runs that are constant or alternate between two records."""
    runs = []
    cp = 0
    while cp < N:
        a = per_cp[cp]
        b = per_cp[cp + 1] if cp + 1 < N else a
        end = cp + 1
        while end < N and per_cp[end] == (a if (end - cp) % 2 == 0 else b):
            end += 1
        if end - cp == 1:
            b = a
        runs.append((cp, (a, b)))
        cp = end
    return runs


def emit_array(out, ctype, name, values, per_line=8, fmt="%d"):
    out.append("constexpr %s %s[] = {" % (ctype, name))
    for i in range(0, len(values), per_line):
        out.append("    " + ", ".join(fmt % v for v in values[i:i + per_line]) + ",")
    out.append("};")
    out.append("")


def main():
    check_interpreter()
    default = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "src", "script",
                           "unicode_tables.inc")
    output = sys.argv[1] if len(sys.argv) > 1 else os.path.normpath(default)

    prop_cp, prop_records = property_records()
    prop_runs = runs_constant(prop_cp)
    sre_keys = sre_fold_keys()
    case_cp, case_recs, seqs = case_records(sre_keys)
    case_runs = runs_alternating(case_cp)
    pairs = sorted(set(p for _, p in case_runs))
    pair_index = {p: i for i, p in enumerate(pairs)}

    if len(prop_records) >= 2048 or len(pairs) >= 2048 or len(case_recs) >= 65536:
        die("too many records for the packed run format")

    out = []
    out.append("// Generated by scripts/gen_unicode_tables.py from CPython %d.%d (Unicode %s)."
               % (sys.version_info[0], sys.version_info[1], unicodedata.unidata_version))
    out.append("// Do not edit; re-run the generator. Included by src/script/unicode.cc only.")
    out.append("")
    for bit, (name, _) in enumerate(PROPS):
        out.append("static_assert(%s == 1u << %d);" % (name, bit))
    out.append("")
    out.append("constexpr PropRecord kPropRecords[] = {")
    for flags, dec in prop_records:
        out.append("    {0x%04x, %d}," % (flags, dec))
    out.append("};")
    out.append("")
    emit_array(out, "uint32_t", "kPropRuns", [s << 11 | r for s, r in prop_runs], 6, "0x%08x")
    emit_array(out, "uint8_t", "kLatin1Props", prop_cp[:256], 16)

    out.append("constexpr CaseRecord kCaseRecords[] = {")
    for fields, mask in case_recs:
        out.append("    {{%s}, 0x%x}," % (", ".join(str(f) for f in fields), mask))
    out.append("};")
    out.append("")
    out.append("constexpr CasePair kCasePairs[] = {")
    for i in range(0, len(pairs), 6):
        out.append("    " + " ".join("{%d, %d}," % p for p in pairs[i:i + 6]))
    out.append("};")
    out.append("")
    emit_array(out, "uint32_t", "kCaseRuns",
               [s << 11 | pair_index[p] for s, p in case_runs], 6, "0x%08x")
    emit_array(out, "char32_t", "kCaseSeqs", seqs, 8, "0x%04x")

    extra = sorted(re._casefix._EXTRA_CASES.items())
    offsets = []
    pool = []
    for lo, others in extra:
        offsets.append(len(pool) << 2 | len(others))
        pool.extend(others)
    emit_array(out, "uint32_t", "kCaseFixKeys", [lo for lo, _ in extra], 8, "0x%04x")
    emit_array(out, "uint16_t", "kCaseFixRefs", offsets, 8)
    emit_array(out, "char32_t", "kCaseFixPool", pool, 8, "0x%04x")

    with open(output, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out))
    print("gen_unicode_tables: %d property runs (%d records), %d case runs (%d records, %d pairs),"
          " %d sequence code points -> %s"
          % (len(prop_runs), len(prop_records), len(case_runs), len(case_recs), len(pairs),
             len(seqs), output), file=sys.stderr)


if __name__ == "__main__":
    main()
