/*
 * Unit tests for the output writers: exact text output, relative paths,
 * carets from a real file, and JSON and SARIF documents parsed back and
 * checked field by field.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "output.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct ll_rule_info rules[] = {
    {"double-lock", "a lock taken twice", "# double-lock\n\nTaking a lock twice.", LL_SEV_ERROR},
    {"lock-order-inversion", "two locks taken in both orders", NULL, LL_SEV_WARNING},
    {"cond-wait-outside-loop", "a wait outside a loop", "doc", LL_SEV_NOTE},
};

static struct ll_output_opts opts(const char *base)
{
    struct ll_output_opts o = {.base_dir = base,
                               .version = "1.2.3",
                               .rules = rules,
                               .nrules = sizeof(rules) / sizeof(rules[0])};
    return o;
}

/*
 * The report most tests use:
 *   0: lock-order-inversion, warning, /proj/src/a.c:12:5, notes at
 *      /proj/src/b.c:30:7 and /other/x.h:4:1, two thread flows
 *   1: double-lock, error, /proj/src/b.c:3:1, no function or key
 */
static void build_report(struct ll_report *r)
{
    ll_report_init(r);
    struct ll_site p = {"/proj/src/b.c", 3, 1, NULL};
    struct ll_finding *f =
        ll_report_add(r, "double-lock", LL_SEV_ERROR, &p, NULL, NULL, "'m' acquired twice");
    assert_non_null(f);
    struct ll_site q = {"/proj/src/a.c", 12, 5, NULL};
    f = ll_report_add(r, "lock-order-inversion", LL_SEV_WARNING, &q, "worker", "a,b",
                      "'%s' acquired while holding '%s'", "a", "b");
    assert_non_null(f);
    struct ll_site n1 = {"/proj/src/b.c", 30, 7, NULL};
    struct ll_site n2 = {"/other/x.h", 4, 1, NULL};
    assert_int_equal(ll_finding_note(r, f, &n1, "'b' acquired while holding 'a' here"), 0);
    assert_int_equal(ll_finding_note(r, f, &n2, "'a' declared here"), 0);
    struct ll_site t1[2] = {{"/proj/src/a.c", 10, 5, "acquires 'b'"},
                            {"/proj/src/a.c", 12, 5, "acquires 'a'"}};
    struct ll_site t2[1] = {{"/proj/src/b.c", 30, 7, "acquires 'b' while holding 'a'"}};
    assert_int_equal(ll_finding_flow(r, f, "worker", t1, 2), 0);
    assert_int_equal(ll_finding_flow(r, f, "main", t2, 1), 0);
    ll_report_finish(r);
    assert_int_equal(r->count, 2);
}

typedef int (*writer_fn)(FILE *, const struct ll_report *, const struct ll_output_opts *);

/* Runs a writer into memory; caller frees the result. */
static char *render(writer_fn w, const struct ll_report *r, const struct ll_output_opts *o)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(w(f, r, o), 0);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static json_t *render_json(writer_fn w, const struct ll_report *r, const struct ll_output_opts *o)
{
    char *text = render(w, r, o);
    size_t len = strlen(text);
    assert_true(len > 0 && text[len - 1] == '\n');
    json_error_t err;
    json_t *j = json_loads(text, 0, &err);
    if (!j)
        fail_msg("invalid JSON: %s at line %d\n%s", err.text, err.line, text);
    free(text);
    return j;
}

static void test_text_exact(void **state)
{
    (void)state;
    struct ll_report r;
    build_report(&r);
    struct ll_output_opts o = opts("/proj");
    char *out = render(ll_output_text, &r, &o);
    assert_string_equal(out, "src/a.c:12:5: warning: 'a' acquired while holding 'b' "
                             "[lock-order-inversion]\n"
                             "src/b.c:30:7: note: 'b' acquired while holding 'a' here\n"
                             "/other/x.h:4:1: note: 'a' declared here\n"
                             "src/b.c:3:1: error: 'm' acquired twice [double-lock]\n");
    free(out);
    ll_report_release(&r);
}

static void test_text_relative_paths(void **state)
{
    (void)state;
    struct ll_report r;
    ll_report_init(&r);
    const char *files[] = {"/proj/a.c", "/projx/b.c", "rel/c.c", "/proj//d.c"};
    for (int i = 0; i < 4; i++) {
        struct ll_site s = {files[i], 1, 1, NULL};
        assert_non_null(ll_report_add(&r, "r", LL_SEV_NOTE, &s, NULL, NULL, "m%d", i));
    }
    ll_report_finish(&r);
    const char *want = "/proj//d.c:1:1: remark: m3 [r]\n"
                       "/proj/a.c:1:1: remark: m0 [r]\n"
                       "/projx/b.c:1:1: remark: m1 [r]\n"
                       "rel/c.c:1:1: remark: m2 [r]\n";
    /* No base: paths as stored. */
    struct ll_output_opts o = opts(NULL);
    char *out = render(ll_output_text, &r, &o);
    assert_string_equal(out, want);
    free(out);
    /* A trailing slash on the base does not matter; a sibling with the
     * same prefix (/projx) is not under /proj. */
    const char *bases[] = {"/proj", "/proj/"};
    for (int i = 0; i < 2; i++) {
        o = opts(bases[i]);
        out = render(ll_output_text, &r, &o);
        assert_string_equal(out, "d.c:1:1: remark: m3 [r]\n"
                                 "a.c:1:1: remark: m0 [r]\n"
                                 "/projx/b.c:1:1: remark: m1 [r]\n"
                                 "rel/c.c:1:1: remark: m2 [r]\n");
        free(out);
    }
    ll_report_release(&r);
}

static void test_text_caret(void **state)
{
    (void)state;
    char dir[] = "/tmp/ll_test_output_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof(path), "%s/src.c", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("int x;\n    lock(&m);\r\n\tunlock(&m);\n", f);
    fclose(f);

    struct ll_report r;
    ll_report_init(&r);
    struct ll_site s = {path, 2, 5, NULL};
    struct ll_finding *fd = ll_report_add(&r, "double-lock", LL_SEV_ERROR, &s, NULL, NULL, "twice");
    assert_non_null(fd);
    struct ll_site n1 = {path, 3, 2, NULL};
    struct ll_site n2 = {path, 99, 1, NULL};              /* no such line */
    struct ll_site n3 = {"/nonexistent/q.c", 1, 1, NULL}; /* unreadable */
    ll_finding_note(&r, fd, &n1, "released here");
    ll_finding_note(&r, fd, &n2, "past the end");
    ll_finding_note(&r, fd, &n3, "elsewhere");
    ll_report_finish(&r);

    struct ll_output_opts o = opts(dir);
    o.caret = true;
    char *out = render(ll_output_text, &r, &o);
    assert_string_equal(out, "src.c:2:5: error: twice [double-lock]\n"
                             "    lock(&m);\n"
                             "    ^\n"
                             "src.c:3:2: note: released here\n"
                             "\tunlock(&m);\n"
                             "\t^\n"
                             "src.c:99:1: note: past the end\n"
                             "/nonexistent/q.c:1:1: note: elsewhere\n"
                             "  help: run 'locklint explain double-lock' for how to fix this\n");
    free(out);

    /* Without caret the same report has no source lines and no help. */
    o.caret = false;
    out = render(ll_output_text, &r, &o);
    assert_null(strstr(out, "lock(&m)"));
    assert_null(strstr(out, "help:"));
    free(out);

    ll_report_release(&r);
    unlink(path);
    rmdir(dir);
}

static void test_write_error(void **state)
{
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    struct ll_report r;
    build_report(&r);
    struct ll_output_opts o = opts("/proj");
    assert_int_equal(ll_output_text(f, &r, &o), -1);
    clearerr(f);
    assert_int_equal(ll_output_json(f, &r, &o), -1);
    clearerr(f);
    assert_int_equal(ll_output_sarif(f, &r, &o), -1);
    fclose(f);
    ll_report_release(&r);
}

static void check_site(json_t *s, const char *file, int line, int col, const char *msg)
{
    assert_true(json_is_object(s));
    assert_string_equal(json_string_value(json_object_get(s, "file")), file);
    assert_int_equal(json_integer_value(json_object_get(s, "line")), line);
    assert_int_equal(json_integer_value(json_object_get(s, "column")), col);
    if (msg)
        assert_string_equal(json_string_value(json_object_get(s, "message")), msg);
}

static void test_json(void **state)
{
    (void)state;
    struct ll_report r;
    build_report(&r);
    struct ll_output_opts o = opts("/proj");
    json_t *root = render_json(ll_output_json, &r, &o);

    /* Keys in documented order. */
    const char *keys[] = {"version", "findings", "summary"};
    size_t k = 0;
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        assert_true(k < 3);
        assert_string_equal(key, keys[k++]);
    }
    assert_string_equal(json_string_value(json_object_get(root, "version")), "1.2.3");

    json_t *fs = json_object_get(root, "findings");
    assert_int_equal(json_array_size(fs), 2);
    json_t *f0 = json_array_get(fs, 0);
    assert_string_equal(json_string_value(json_object_get(f0, "rule")), "lock-order-inversion");
    assert_string_equal(json_string_value(json_object_get(f0, "severity")), "warning");
    assert_string_equal(json_string_value(json_object_get(f0, "message")),
                        "'a' acquired while holding 'b'");
    assert_string_equal(json_string_value(json_object_get(f0, "function")), "worker");
    assert_string_equal(json_string_value(json_object_get(f0, "key")), "a,b");
    assert_string_equal(json_string_value(json_object_get(f0, "fingerprint")),
                        r.items[0]->fingerprint);
    check_site(json_object_get(f0, "location"), "src/a.c", 12, 5, NULL);
    assert_null(json_object_get(json_object_get(f0, "location"), "message"));
    json_t *rel = json_object_get(f0, "related");
    assert_int_equal(json_array_size(rel), 2);
    check_site(json_array_get(rel, 0), "src/b.c", 30, 7, "'b' acquired while holding 'a' here");
    check_site(json_array_get(rel, 1), "/other/x.h", 4, 1, "'a' declared here");
    json_t *flows = json_object_get(f0, "flows");
    assert_int_equal(json_array_size(flows), 2);
    json_t *fl = json_array_get(flows, 0);
    assert_string_equal(json_string_value(json_object_get(fl, "thread")), "worker");
    json_t *steps = json_object_get(fl, "steps");
    assert_int_equal(json_array_size(steps), 2);
    check_site(json_array_get(steps, 0), "src/a.c", 10, 5, "acquires 'b'");
    check_site(json_array_get(steps, 1), "src/a.c", 12, 5, "acquires 'a'");
    fl = json_array_get(flows, 1);
    assert_string_equal(json_string_value(json_object_get(fl, "thread")), "main");
    assert_int_equal(json_array_size(json_object_get(fl, "steps")), 1);

    json_t *f1 = json_array_get(fs, 1);
    assert_string_equal(json_string_value(json_object_get(f1, "rule")), "double-lock");
    assert_string_equal(json_string_value(json_object_get(f1, "severity")), "error");
    assert_true(json_is_null(json_object_get(f1, "function")));
    assert_true(json_is_null(json_object_get(f1, "key")));
    assert_true(json_is_array(json_object_get(f1, "related")));
    assert_int_equal(json_array_size(json_object_get(f1, "related")), 0);
    assert_true(json_is_array(json_object_get(f1, "flows")));
    assert_int_equal(json_array_size(json_object_get(f1, "flows")), 0);

    json_t *sum = json_object_get(root, "summary");
    assert_int_equal(json_integer_value(json_object_get(sum, "total")), 2);
    assert_int_equal(json_integer_value(json_object_get(sum, "error")), 1);
    assert_int_equal(json_integer_value(json_object_get(sum, "warning")), 1);
    assert_int_equal(json_integer_value(json_object_get(sum, "note")), 0);
    json_decref(root);
    ll_report_release(&r);
}

static void test_json_empty_and_bad_utf8(void **state)
{
    (void)state;
    struct ll_report r;
    ll_report_init(&r);
    ll_report_finish(&r);
    struct ll_output_opts o = opts(NULL);
    o.version = NULL;
    json_t *root = render_json(ll_output_json, &r, &o);
    assert_true(json_is_null(json_object_get(root, "version")));
    assert_int_equal(json_array_size(json_object_get(root, "findings")), 0);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "summary"), "total")),
                     0);
    json_decref(root);

    /* A path and message that are not UTF-8 still give valid JSON. */
    struct ll_site s = {"/p/caf\xe9.c", 1, 1, NULL};
    assert_non_null(ll_report_add(&r, "r", LL_SEV_NOTE, &s, NULL, NULL, "bad \xff byte"));
    ll_report_finish(&r);
    root = render_json(ll_output_json, &r, &o);
    json_t *f = json_array_get(json_object_get(root, "findings"), 0);
    assert_string_equal(json_string_value(json_object_get(f, "message")), "bad \xef\xbf\xbd byte");
    assert_string_equal(json_string_value(json_object_get(json_object_get(f, "location"), "file")),
                        "/p/caf\xef\xbf\xbd.c");
    json_decref(root);
    root = render_json(ll_output_sarif, &r, &o);
    json_decref(root);
    ll_report_release(&r);
}

static json_t *jpath(json_t *j, const char *path)
{
    /* Dotted path; numeric components index arrays. */
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *tok = strtok(buf, "."); tok && j; tok = strtok(NULL, ".")) {
        if (json_is_array(j))
            j = json_array_get(j, (size_t)atoi(tok));
        else
            j = json_object_get(j, tok);
    }
    return j;
}

static const char *jstr_at(json_t *j, const char *path)
{
    json_t *v = jpath(j, path);
    if (!json_is_string(v))
        fail_msg("'%s' is not a string", path);
    return json_string_value(v);
}

static void check_physical(json_t *loc, const char *uri, int line, int col)
{
    assert_string_equal(jstr_at(loc, "physicalLocation.artifactLocation.uri"), uri);
    json_t *base = jpath(loc, "physicalLocation.artifactLocation.uriBaseId");
    if (strncmp(uri, "file://", 7) == 0)
        assert_null(base);
    else
        assert_string_equal(json_string_value(base), "%SRCROOT%");
    assert_int_equal(json_integer_value(jpath(loc, "physicalLocation.region.startLine")), line);
    assert_int_equal(json_integer_value(jpath(loc, "physicalLocation.region.startColumn")), col);
}

static void test_sarif(void **state)
{
    (void)state;
    struct ll_report r;
    build_report(&r);
    struct ll_output_opts o = opts("/proj");
    json_t *root = render_json(ll_output_sarif, &r, &o);

    assert_string_equal(jstr_at(root, "version"), "2.1.0");
    assert_string_equal(jstr_at(root, "$schema"), "https://json.schemastore.org/sarif-2.1.0.json");
    assert_int_equal(json_array_size(json_object_get(root, "runs")), 1);
    json_t *run = jpath(root, "runs.0");

    json_t *driver = jpath(run, "tool.driver");
    assert_string_equal(jstr_at(driver, "name"), "locklint");
    assert_string_equal(jstr_at(driver, "version"), "1.2.3");
    assert_string_equal(jstr_at(driver, "informationUri"), "https://github.com/locklint/locklint");
    json_t *jr = json_object_get(driver, "rules");
    assert_int_equal(json_array_size(jr), 3);
    assert_string_equal(jstr_at(jr, "0.id"), "double-lock");
    assert_string_equal(jstr_at(jr, "0.name"), "DoubleLock");
    assert_string_equal(jstr_at(jr, "0.shortDescription.text"), "a lock taken twice");
    assert_string_equal(jstr_at(jr, "0.fullDescription.text"), "a lock taken twice");
    assert_string_equal(jstr_at(jr, "0.help.text"), "# double-lock\n\nTaking a lock twice.");
    assert_string_equal(jstr_at(jr, "0.help.markdown"), "# double-lock\n\nTaking a lock twice.");
    assert_string_equal(jstr_at(jr, "0.defaultConfiguration.level"), "error");
    assert_string_equal(jstr_at(jr, "0.properties.tags.0"), "concurrency");
    assert_string_equal(jstr_at(jr, "0.properties.precision"), "medium");
    assert_string_equal(jstr_at(jr, "1.id"), "lock-order-inversion");
    assert_string_equal(jstr_at(jr, "1.name"), "LockOrderInversion");
    assert_string_equal(jstr_at(jr, "1.help.text"), "two locks taken in both orders");
    assert_string_equal(jstr_at(jr, "1.defaultConfiguration.level"), "warning");
    assert_string_equal(jstr_at(jr, "2.name"), "CondWaitOutsideLoop");
    assert_string_equal(jstr_at(jr, "2.defaultConfiguration.level"), "note");

    assert_string_equal(jstr_at(run, "originalUriBaseIds.%SRCROOT%.uri"), "file:///proj/");

    json_t *results = json_object_get(run, "results");
    assert_int_equal(json_array_size(results), 2);
    size_t i;
    json_t *res;
    json_array_foreach(results, i, res)
    {
        assert_true(json_is_string(json_object_get(res, "ruleId")));
        assert_true(json_is_string(json_object_get(res, "level")));
        assert_true(strlen(jstr_at(res, "message.text")) > 0);
        const char *uri = jstr_at(res, "locations.0.physicalLocation.artifactLocation.uri");
        assert_true(uri[0] != '/');
        assert_true(
            json_integer_value(jpath(res, "locations.0.physicalLocation.region.startLine")) >= 1);
        assert_string_equal(jstr_at(res, "partialFingerprints.locklintFingerprint/v1"),
                            r.items[i]->fingerprint);
    }

    json_t *r0 = json_array_get(results, 0);
    assert_string_equal(jstr_at(r0, "ruleId"), "lock-order-inversion");
    assert_int_equal(json_integer_value(json_object_get(r0, "ruleIndex")), 1);
    assert_string_equal(jstr_at(r0, "level"), "warning");
    /* each note linked from the message, brackets escaped */
    assert_string_equal(jstr_at(r0, "message.text"),
                        "'a' acquired while holding 'b' (['b' acquired while holding 'a' "
                        "here](1); ['a' declared here](2))");
    assert_int_equal(json_array_size(json_object_get(r0, "locations")), 1);
    check_physical(jpath(r0, "locations.0"), "src/a.c", 12, 5);
    json_t *rel = json_object_get(r0, "relatedLocations");
    assert_int_equal(json_array_size(rel), 2);
    assert_int_equal(json_integer_value(jpath(rel, "0.id")), 1);
    assert_int_equal(json_integer_value(jpath(rel, "1.id")), 2);
    check_physical(json_array_get(rel, 0), "src/b.c", 30, 7);
    assert_string_equal(jstr_at(rel, "0.message.text"), "'b' acquired while holding 'a' here");
    check_physical(json_array_get(rel, 1), "file:///other/x.h", 4, 1);
    assert_string_equal(jstr_at(rel, "1.message.text"), "'a' declared here");

    json_t *cf = json_object_get(r0, "codeFlows");
    assert_int_equal(json_array_size(cf), 1);
    json_t *tfs = jpath(cf, "0.threadFlows");
    assert_int_equal(json_array_size(tfs), 2);
    assert_string_equal(jstr_at(tfs, "0.id"), "worker");
    assert_string_equal(jstr_at(tfs, "0.message.text"), "worker");
    assert_int_equal(json_array_size(jpath(tfs, "0.locations")), 2);
    check_physical(jpath(tfs, "0.locations.0.location"), "src/a.c", 10, 5);
    assert_string_equal(jstr_at(tfs, "0.locations.0.location.message.text"), "acquires 'b'");
    check_physical(jpath(tfs, "0.locations.1.location"), "src/a.c", 12, 5);
    assert_string_equal(jstr_at(tfs, "1.id"), "main");
    assert_int_equal(json_array_size(jpath(tfs, "1.locations")), 1);

    json_t *r1 = json_array_get(results, 1);
    assert_string_equal(jstr_at(r1, "ruleId"), "double-lock");
    assert_int_equal(json_integer_value(json_object_get(r1, "ruleIndex")), 0);
    assert_string_equal(jstr_at(r1, "level"), "error");
    check_physical(jpath(r1, "locations.0"), "src/b.c", 3, 1);
    assert_null(json_object_get(r1, "codeFlows"));
    assert_null(json_object_get(r1, "relatedLocations"));

    json_decref(root);
    ll_report_release(&r);
}

static void test_sarif_uris_and_edges(void **state)
{
    (void)state;
    struct ll_report r;
    ll_report_init(&r);
    struct ll_site s = {"/home/u/my proj/src dir/a b+c%.c", 0, 0, NULL};
    struct ll_finding *f = ll_report_add(&r, "unknown-rule", LL_SEV_WARNING, &s, NULL, NULL, "m");
    assert_non_null(f);
    /* Two instances of one thread, and a flow with no steps. */
    struct ll_site st = {"./rel/x.c", 2, 3, "step"};
    assert_int_equal(ll_finding_flow(&r, f, "worker", &st, 1), 0);
    assert_int_equal(ll_finding_flow(&r, f, "idle", NULL, 0), 0);
    assert_int_equal(ll_finding_flow(&r, f, "worker", &st, 1), 0);
    struct ll_site s2 = {"/elsewhere/q r.c", 5, 1, NULL};
    struct ll_finding *g = ll_report_add(&r, "double-lock", LL_SEV_NOTE, &s2, NULL, NULL, "m");
    assert_non_null(g);
    assert_int_equal(ll_finding_flow(&r, g, "worker", NULL, 0), 0);
    ll_report_finish(&r);

    struct ll_output_opts o = opts("/home/u/my proj/");
    json_t *root = render_json(ll_output_sarif, &r, &o);
    json_t *run = jpath(root, "runs.0");
    assert_string_equal(jstr_at(run, "originalUriBaseIds.%SRCROOT%.uri"),
                        "file:///home/u/my%20proj/");
    json_t *r0 = jpath(run, "results.1");
    assert_string_equal(jstr_at(r0, "ruleId"), "unknown-rule");
    assert_null(json_object_get(r0, "ruleIndex"));
    check_physical(jpath(r0, "locations.0"), "src%20dir/a%20b%2Bc%25.c", 1, 1);
    json_t *tfs = jpath(r0, "codeFlows.0.threadFlows");
    assert_int_equal(json_array_size(tfs), 2);
    assert_string_equal(jstr_at(tfs, "0.id"), "worker");
    assert_string_equal(jstr_at(tfs, "1.id"), "worker#2");
    assert_string_equal(jstr_at(tfs, "1.message.text"), "worker");
    check_physical(jpath(tfs, "0.locations.0.location"), "rel/x.c", 2, 3);

    /* A finding whose only flow is empty gets no codeFlows at all. */
    json_t *r1 = jpath(run, "results.0");
    assert_string_equal(jstr_at(r1, "ruleId"), "double-lock");
    assert_string_equal(jstr_at(r1, "level"), "note");
    check_physical(jpath(r1, "locations.0"), "file:///elsewhere/q%20r.c", 5, 1);
    assert_null(json_object_get(r1, "codeFlows"));
    json_decref(root);

    /* No base: no originalUriBaseIds, absolute paths are file URIs. */
    o = opts(NULL);
    o.version = NULL;
    root = render_json(ll_output_sarif, &r, &o);
    run = jpath(root, "runs.0");
    assert_null(json_object_get(run, "originalUriBaseIds"));
    assert_null(jpath(run, "tool.driver.version"));
    check_physical(jpath(run, "results.1.locations.0"),
                   "file:///home/u/my%20proj/src%20dir/a%20b%2Bc%25.c", 1, 1);
    json_decref(root);
    ll_report_release(&r);
}

/* A jansson allocator that fails after a budget of allocations. */
static long alloc_budget;

static void *budget_malloc(size_t n)
{
    if (alloc_budget-- <= 0)
        return NULL;
    return malloc(n);
}

/* Every allocation failure inside jansson gives -1 and leaks nothing
 * (AddressSanitizer's leak check would fail the run). */
static void test_json_sarif_out_of_memory(void **state)
{
    (void)state;
    struct ll_report r;
    build_report(&r);
    struct ll_output_opts o = opts("/proj");
    writer_fn writers[] = {ll_output_json, ll_output_sarif};
    for (int w = 0; w < 2; w++) {
        long budget;
        for (budget = 0; budget < 100000; budget++) {
            char *buf = NULL;
            size_t len = 0;
            FILE *f = open_memstream(&buf, &len);
            assert_non_null(f);
            alloc_budget = budget;
            json_set_alloc_funcs(budget_malloc, free);
            int rc = writers[w](f, &r, &o);
            json_set_alloc_funcs(malloc, free);
            fclose(f);
            free(buf);
            if (rc == 0)
                break;
            assert_int_equal(rc, -1);
        }
        /* The writer allocates, so small budgets must have failed. */
        assert_true(budget > 10 && budget < 100000);
    }
    ll_report_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_exact),
        cmocka_unit_test(test_text_relative_paths),
        cmocka_unit_test(test_text_caret),
        cmocka_unit_test(test_write_error),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_json_empty_and_bad_utf8),
        cmocka_unit_test(test_sarif),
        cmocka_unit_test(test_sarif_uris_and_edges),
        cmocka_unit_test(test_json_sarif_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
