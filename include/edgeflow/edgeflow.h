/* edgeflow C ABI: the runtime for apps that cannot link C++ directly (JNI,
 * Swift, Flutter FFI). Every function is safe to call from any thread; no C++
 * exception ever crosses this boundary.
 *
 * Errors: functions return EF_OK (0) or a non-zero EF_ERR_* code, and
 * ef_last_error() gives the message of the calling thread's last failure.
 *
 * Strings passed in are copied; strings passed to callbacks are valid only for
 * the duration of the callback. Callbacks run on runtime threads.
 */
#ifndef EDGEFLOW_EDGEFLOW_H_
#define EDGEFLOW_EDGEFLOW_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ef_runtime ef_runtime;

/* Status codes (the same numbers as edgeflow::StatusCode). */
enum {
  EF_OK = 0,
  EF_ERR_INVALID_ARGUMENT = 1,
  EF_ERR_NOT_FOUND = 2,
  EF_ERR_ALREADY_EXISTS = 3,
  EF_ERR_FAILED_PRECONDITION = 4,
  EF_ERR_PERMISSION_DENIED = 5,
  EF_ERR_CORRUPTION = 6,
  EF_ERR_IO = 7,
  EF_ERR_CANCELLED = 8,
  EF_ERR_DEADLINE_EXCEEDED = 9,
  EF_ERR_RESOURCE_EXHAUSTED = 10,
  EF_ERR_UNSUPPORTED = 11,
  EF_ERR_INTERNAL = 12
};

/* Opens a runtime on data_dir. encryption_key may be NULL when no table is
 * encrypted. Returns NULL on failure (see ef_last_error()). */
ef_runtime* ef_open(const char* data_dir, const char* encryption_key);

/* Flushes, stops and frees the runtime; pending Infer calls get on_error
 * "cancelled". The handle is invalid afterwards. NULL is ignored. */
int ef_close(ef_runtime* rt);

/* Installs the bundle in directory `dir` (its manifest.json). */
int ef_install_bundle(ef_runtime* rt, const char* dir);

/* Records one event given as JSON (DESIGN.md event format). */
int ef_track(ef_runtime* rt, const char* event_json);

/* Result callbacks of ef_infer: exactly one of them is called, exactly once.
 * on_complete gets the result as JSON text, or NULL for an empty result.
 * on_error gets a code name: "failed", "timeout", "circuit_open", "cancelled",
 * "crashed", "no_such_task" or "bad_input", and a message. */
typedef void (*ef_complete_fn)(void* user, const char* value_json);
typedef void (*ef_error_fn)(void* user, const char* code, const char* message);

/* API trigger. ext_data_json may be NULL or "" for none. */
void ef_infer(ef_runtime* rt, const char* system_code, const char* business_code,
              const char* ext_data_json, ef_complete_fn on_complete, ef_error_fn on_error,
              void* user);

/* Broadcast delivery: fn(user, topic, value_json) for each result published on
 * `topic`. Returns a subscription id, or 0 on failure. */
typedef void (*ef_message_fn)(void* user, const char* topic, const char* value_json);
uint64_t ef_subscribe(ef_runtime* rt, const char* topic, ef_message_fn fn, void* user);
int ef_unsubscribe(ef_runtime* rt, uint64_t subscription);

/* Waits until no task runs or is queued: EF_OK, or EF_ERR_DEADLINE_EXCEEDED. */
int ef_wait_idle(ef_runtime* rt, int64_t timeout_ms);

/* Commits every tracked event to disk. */
int ef_flush(ef_runtime* rt);

/* Message of the calling thread's last failed call ("" if none). Valid until
 * the next edgeflow call on this thread. */
const char* ef_last_error(void);

#ifdef __cplusplus
}
#endif

#endif /* EDGEFLOW_EDGEFLOW_H_ */
