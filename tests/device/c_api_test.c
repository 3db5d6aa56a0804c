/* The C ABI used from C: open, install, track, infer with callbacks,
 * subscribe, errors through ef_last_error(). Plain C99; exits non-zero on failure. */
#define _DEFAULT_SOURCE
#include "edgeflow/edgeflow.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures = 0;
#define CHECK(cond)                                                  \
  do {                                                               \
    if (!(cond)) {                                                   \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                    \
    }                                                                \
  } while (0)

struct call {
  pthread_mutex_t mu;
  int completes, errors;
  char value[256];
  char code[64];
};

static void on_complete(void* user, const char* value) {
  struct call* c = (struct call*)user;
  pthread_mutex_lock(&c->mu);
  c->completes++;
  snprintf(c->value, sizeof c->value, "%s", value ? value : "(none)");
  pthread_mutex_unlock(&c->mu);
}

static void on_error(void* user, const char* code, const char* message) {
  struct call* c = (struct call*)user;
  (void)message;
  pthread_mutex_lock(&c->mu);
  c->errors++;
  snprintf(c->code, sizeof c->code, "%s", code);
  pthread_mutex_unlock(&c->mu);
}

static int messages = 0;
static char last_message[256];
static void on_message(void* user, const char* topic, const char* value) {
  (void)user;
  __atomic_add_fetch(&messages, 1, __ATOMIC_SEQ_CST);
  snprintf(last_message, sizeof last_message, "%s:%s", topic, value);
}

int main(void) {
  char dir[] = "/tmp/edgeflow_c_api_XXXXXX";
  if (!mkdtemp(dir)) return 2;
  char bundle[512], manifest[600], data[512];
  snprintf(bundle, sizeof bundle, "%s/bundle", dir);
  snprintf(manifest, sizeof manifest, "%s/manifest.json", bundle);
  snprintf(data, sizeof data, "%s/data", dir);
  mkdir(bundle, 0755);
  FILE* f = fopen(manifest, "w");
  fputs("{\"name\":\"c\",\"version\":\"1\","
        "\"triggers\":[{\"taskName\":\"Echo\",\"events\":[{\"type\":\"mta\",\"pageId\":\"P\","
        "\"needPv\":true,\"clickIds\":[]}]}],"
        "\"tasks\":[{\"name\":\"Echo\",\"kind\":\"native:echo\",\"broadcast\":\"echoed\"},"
        "{\"name\":\"Fail\",\"kind\":\"native:fail\"}],"
        "\"api\":[{\"systemCode\":\"s\",\"businessCode\":\"echo\",\"task\":\"Echo\"},"
        "{\"systemCode\":\"s\",\"businessCode\":\"fail\",\"task\":\"Fail\"}]}",
        f);
  fclose(f);

  CHECK(ef_open(NULL, NULL) == NULL);
  CHECK(strstr(ef_last_error(), "data_dir") != NULL);

  ef_runtime* rt = ef_open(data, NULL);
  CHECK(rt != NULL);
  if (!rt) return 1;
  CHECK(ef_install_bundle(rt, "/nonexistent") == EF_ERR_NOT_FOUND);
  CHECK(strstr(ef_last_error(), "/nonexistent/manifest.json") != NULL);
  CHECK(ef_install_bundle(rt, bundle) == EF_OK);

  uint64_t sub = ef_subscribe(rt, "echoed", on_message, NULL);
  CHECK(sub != 0);
  CHECK(ef_track(rt, "{\"type\":\"mta\",\"kind\":\"pv\",\"pageId\":\"P\",\"ts\":1}") == EF_OK);
  CHECK(ef_track(rt, "{\"type\":\"mta\"") == EF_ERR_INVALID_ARGUMENT);
  CHECK(strstr(ef_last_error(), "malformed JSON") != NULL);

  struct call value = {PTHREAD_MUTEX_INITIALIZER, 0, 0, "", ""};
  struct call empty = {PTHREAD_MUTEX_INITIALIZER, 0, 0, "", ""};
  struct call failed = {PTHREAD_MUTEX_INITIALIZER, 0, 0, "", ""};
  struct call missing = {PTHREAD_MUTEX_INITIALIZER, 0, 0, "", ""};
  ef_infer(rt, "s", "echo", "{\"a\":1}", on_complete, on_error, &value);
  ef_infer(rt, "s", "echo", NULL, on_complete, on_error, &empty);
  ef_infer(rt, "s", "fail", "{}", on_complete, on_error, &failed);
  ef_infer(rt, "s", "none", "{}", on_complete, on_error, &missing);
  CHECK(ef_wait_idle(rt, 10000) == EF_OK);

  CHECK(value.completes == 1 && value.errors == 0);
  CHECK(strcmp(value.value, "{\"a\":1}") == 0);
  CHECK(empty.completes == 1 && empty.errors == 0);
  CHECK(strcmp(empty.value, "(none)") == 0);
  CHECK(failed.completes == 0 && failed.errors == 1);
  CHECK(strcmp(failed.code, "failed") == 0);
  CHECK(missing.completes == 0 && missing.errors == 1);
  CHECK(strcmp(missing.code, "no_such_task") == 0);
  /* The pv event and the "echo" API call with a value both broadcast; the
   * empty result broadcasts null. */
  CHECK(__atomic_load_n(&messages, __ATOMIC_SEQ_CST) == 3);

  CHECK(ef_unsubscribe(rt, sub) == EF_OK);
  CHECK(ef_flush(rt) == EF_OK);
  CHECK(ef_close(rt) == EF_OK);
  CHECK(ef_close(NULL) == EF_OK);

  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
  if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
  else printf("1 passed, 0 failed\n");
  return failures ? 1 : 0;
}
