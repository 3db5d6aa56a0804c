// Expr: a Python expression over one event, compiled once and evaluated per
// event. Feature filters, projections and pattern predicates use it.
//
//   kind == 'click' and props.get('price', 0) >= 100
//   pageId in ('JD_Detail', 'JD_Cart') and not clickId.startswith('JD_Ad')
//
// The language is a subset of Python 3 expressions with Python's semantics
// (docs/features.md, "Expressions", lists it). Names are the event's fields
// (type, kind, pageId, clickId, itemId, ts) and `props`, read as
// props.NAME, props['NAME'] or props.get('NAME'[, default]).
//
// Thread-safety: a compiled Expr is immutable; Eval may run concurrently.
#ifndef EDGEFLOW_PIPELINE_EXPR_H_
#define EDGEFLOW_PIPELINE_EXPR_H_

#include <memory>
#include <string>
#include <string_view>

#include "edgeflow/status.h"
#include "pipeline/event_view.h"
#include "pipeline/value.h"

namespace edgeflow::pipeline {

class Expr {
 public:
  // Compiles `source`. A syntax error or an unsupported construct is
  // kInvalidArgument naming the column, e.g.
  //   "column 12: unsupported name 'user' (fields: type, kind, pageId, ...)".
  static Result<std::unique_ptr<Expr>> Compile(std::string_view source);

  virtual ~Expr() = default;

  // The value for this event. An error Python would raise (TypeError for
  // None < 3, ZeroDivisionError, a missing props['x'] as KeyError) is a
  // kInvalidArgument Status whose message starts with the Python exception
  // name, e.g. "TypeError: '<' not supported between 'NoneType' and 'int'".
  virtual Result<Value> Eval(const EventView& event) const = 0;

  // Truthiness of Eval(); an evaluation error counts as false. This is how
  // filters and pattern predicates use an expression.
  virtual bool Test(const EventView& event) const = 0;

  const std::string& source() const { return source_; }

 protected:
  explicit Expr(std::string_view source) : source_(source) {}

 private:
  std::string source_;
};

}  // namespace edgeflow::pipeline

#endif  // EDGEFLOW_PIPELINE_EXPR_H_
