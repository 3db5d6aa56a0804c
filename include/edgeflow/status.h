// Status and Result<T>: how every edgeflow boundary reports success or failure.
//
// A Status is cheap when OK (no allocation) and otherwise carries a code and a
// message that names what was wrong and where ("manifest.json: tasks[2].after:
// unknown task 'Foo'"). Result<T> holds either a value or a non-OK Status.
// Neither type throws.
#ifndef EDGEFLOW_STATUS_H_
#define EDGEFLOW_STATUS_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace edgeflow {

enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument = 1,     // bad input from the caller: malformed JSON, unknown field value
  kNotFound = 2,            // a named thing does not exist
  kAlreadyExists = 3,
  kFailedPrecondition = 4,  // the object is not in a state that allows the call
  kPermissionDenied = 5,    // e.g. a non-SELECT statement given to the read-only SQL API
  kCorruption = 6,          // stored data fails validation
  kIOError = 7,             // the OS or SQLite failed: disk full, unreadable file
  kCancelled = 8,
  kDeadlineExceeded = 9,
  kResourceExhausted = 10,  // a limit was hit: row limit, memory cap, queue bound
  kUnsupported = 11,
  kInternal = 12,
};

// Stable lower-case name of a code ("invalid_argument").
const char* StatusCodeName(StatusCode code);

class Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string_view message);

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string_view m) { return {StatusCode::kInvalidArgument, m}; }
  static Status NotFound(std::string_view m) { return {StatusCode::kNotFound, m}; }
  static Status AlreadyExists(std::string_view m) { return {StatusCode::kAlreadyExists, m}; }
  static Status FailedPrecondition(std::string_view m) {
    return {StatusCode::kFailedPrecondition, m};
  }
  static Status PermissionDenied(std::string_view m) { return {StatusCode::kPermissionDenied, m}; }
  static Status Corruption(std::string_view m) { return {StatusCode::kCorruption, m}; }
  static Status IOError(std::string_view m) { return {StatusCode::kIOError, m}; }
  static Status Cancelled(std::string_view m) { return {StatusCode::kCancelled, m}; }
  static Status DeadlineExceeded(std::string_view m) { return {StatusCode::kDeadlineExceeded, m}; }
  static Status ResourceExhausted(std::string_view m) {
    return {StatusCode::kResourceExhausted, m};
  }
  static Status Unsupported(std::string_view m) { return {StatusCode::kUnsupported, m}; }
  static Status Internal(std::string_view m) { return {StatusCode::kInternal, m}; }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  // The message alone; empty when OK.
  const std::string& message() const;
  // "invalid_argument: <message>", or "ok".
  std::string ToString() const;

  // Returns a copy whose message is "<context>: <message>"; OK stays OK.
  Status WithContext(std::string_view context) const;

 private:
  struct Rep {
    StatusCode code;
    std::string message;
  };
  std::shared_ptr<const Rep> rep_;  // null when OK; immutable, so copies share it
};

// Either a T or a non-OK Status.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    if (std::get<Status>(v_).ok()) v_ = Status::Internal("Result constructed from OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace edgeflow

// Returns early with the Status of `expr` when it is not OK.
#define EF_RETURN_IF_ERROR(expr)                 \
  do {                                           \
    ::edgeflow::Status ef_status_ = (expr);      \
    if (!ef_status_.ok()) return ef_status_;     \
  } while (0)

#define EF_CONCAT_INNER_(a, b) a##b
#define EF_CONCAT_(a, b) EF_CONCAT_INNER_(a, b)
// Declares `lhs` from the value of a Result, or returns its Status.
#define EF_ASSIGN_OR_RETURN(lhs, expr) \
  EF_ASSIGN_OR_RETURN_IMPL_(EF_CONCAT_(ef_result_, __LINE__), lhs, expr)
#define EF_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()

#endif  // EDGEFLOW_STATUS_H_
