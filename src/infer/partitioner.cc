// Partitioner: first-supporting-backend assignment, runs cut into subgraphs.
#include "infer/partitioner.h"

#include <map>
#include <set>

namespace edgeflow::infer {

Partitioner::Partitioner(const Graph& graph, std::vector<const Backend*> backends)
    : graph_(graph),
      backends_(std::move(backends)),
      excluded_(graph.nodes.size(), std::vector<bool>(backends_.size(), false)),
      assignment_(graph.nodes.size(), 0) {
  for (size_t i = 0; i < graph.nodes.size(); ++i) assignment_[i] = Choose(i);
}

int Partitioner::Choose(size_t node) const {
  const int last = static_cast<int>(backends_.size()) - 1;
  for (int b = 0; b < last; ++b) {
    if (!excluded_[node][static_cast<size_t>(b)] &&
        backends_[static_cast<size_t>(b)]->Supports(graph_.nodes[node], graph_)) {
      return b;
    }
  }
  return last;
}

void Partitioner::Exclude(const Subgraph& subgraph) {
  if (subgraph.backend < 0 || subgraph.backend + 1 >= static_cast<int>(backends_.size())) return;
  for (size_t i : subgraph.nodes) {
    excluded_[i][static_cast<size_t>(subgraph.backend)] = true;
    assignment_[i] = Choose(i);
  }
}

std::vector<Subgraph> Partitioner::Subgraphs() const {
  const size_t n = graph_.nodes.size();
  // Who writes each value, and the last node that reads it (n for a graph output).
  std::map<std::string, size_t> producer, last_reader;
  for (size_t i = 0; i < n; ++i) {
    for (const auto& v : graph_.nodes[i].inputs) {
      if (!v.empty()) last_reader[v] = i;
    }
    for (const auto& v : graph_.nodes[i].outputs) {
      if (!v.empty()) producer.emplace(v, i);
    }
  }
  for (const auto& o : graph_.outputs) last_reader[o.name] = n;
  std::vector<Subgraph> out;
  for (size_t begin = 0; begin < n;) {
    size_t end = begin + 1;
    while (end < n && assignment_[end] == assignment_[begin]) ++end;
    Subgraph sg;
    sg.backend = assignment_[begin];
    std::set<std::string> seen;
    for (size_t i = begin; i < end; ++i) {
      sg.nodes.push_back(i);
      for (const auto& v : graph_.nodes[i].inputs) {
        if (v.empty() || graph_.initializers.count(v)) continue;
        auto p = producer.find(v);
        bool from_outside = p == producer.end() || p->second < begin;
        if (from_outside && seen.insert(v).second) sg.inputs.push_back(v);
      }
      for (const auto& v : graph_.nodes[i].outputs) {
        auto r = last_reader.find(v);
        if (!v.empty() && r != last_reader.end() && r->second >= end) sg.outputs.push_back(v);
      }
    }
    out.push_back(std::move(sg));
    begin = end;
  }
  return out;
}

}  // namespace edgeflow::infer
