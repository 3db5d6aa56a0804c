// Node attribute accessors.
#include "infer/graph.h"

namespace edgeflow::infer {

Attribute Attribute::Int(int64_t v) {
  Attribute a;
  a.kind = Kind::kInt;
  a.i = v;
  return a;
}

Attribute Attribute::Float(float v) {
  Attribute a;
  a.kind = Kind::kFloat;
  a.f = v;
  return a;
}

Attribute Attribute::Ints(std::vector<int64_t> v) {
  Attribute a;
  a.kind = Kind::kInts;
  a.ints = std::move(v);
  return a;
}

Attribute Attribute::String(std::string v) {
  Attribute a;
  a.kind = Kind::kString;
  a.s = std::move(v);
  return a;
}

int64_t Node::Int(const std::string& k, int64_t dflt) const {
  auto it = attrs.find(k);
  return it == attrs.end() ? dflt : it->second.i;
}

float Node::Float(const std::string& k, float dflt) const {
  auto it = attrs.find(k);
  return it == attrs.end() ? dflt : it->second.f;
}

std::string Node::String(const std::string& k, const std::string& dflt) const {
  auto it = attrs.find(k);
  return it == attrs.end() ? dflt : it->second.s;
}

std::vector<int64_t> Node::Ints(const std::string& k, std::vector<int64_t> dflt) const {
  auto it = attrs.find(k);
  return it == attrs.end() ? dflt : it->second.ints;
}

std::string Node::Describe() const {
  return op + " node '" + (name.empty() ? (outputs.empty() ? std::string("?") : outputs[0]) : name) + "'";
}

}  // namespace edgeflow::infer
