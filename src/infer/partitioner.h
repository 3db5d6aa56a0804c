// Partitioner: decides which backend computes each node of a graph and cuts
// the graph into subgraphs, the units that backends prepare and run.
//
// Why: a backend does best with whole runs of nodes. XNNPACK keeps tensors in
// its NHWC layout from one convolution to the next; a GPU or NPU backend pays
// a copy in and out per subgraph and may compile a subgraph as one program.
// And every node still needs a home, so the reference kernels, which support
// every op, come last and take the rest.
//
// The rule: each node goes to the first backend, in priority order, that
// supports it and has not been excluded for it; a node no backend supports
// goes to the last backend (which then reports it when preparing). Maximal
// runs of consecutive nodes (in the graph's topological order) on one backend
// form a subgraph; its inputs are the values it reads from outside, its
// outputs the values it writes that later nodes or the graph outputs read.
//
// Example: backends {xnnpack, reference} on
//   n0 Conv(x)->a  n1 Conv(a)->b  n2 Add(b,x)->c  n3 Conv(c)->d  n4 Flatten(d)->y
// gives the assignment [0 0 1 0 1] and the subgraphs
//   xnnpack {n0,n1} in [x] out [b]   reference {n2} in [b,x] out [c]
//   xnnpack {n3} in [c] out [d]      reference {n4} in [d] out [y]
// If xnnpack then fails to prepare {n0,n1}, Exclude() of that subgraph moves
// n0 and n1 to the reference backend, and Subgraphs() returns
//   reference {n0,n1,n2} in [x] out [c]   xnnpack {n3}   reference {n4}
//
// Use (what the interpreter does):
//   Partitioner p(graph, {&xnnpack, &reference});
//   for (const Subgraph& sg : p.Subgraphs())
//     if (!backends[sg.backend]->Prepare(index, sg).ok()) p.Exclude(sg);  // then cut again
//
// Not thread-safe; borrows the graph and the backends.
#ifndef EDGEFLOW_INFER_PARTITIONER_H_
#define EDGEFLOW_INFER_PARTITIONER_H_

#include <vector>

#include "infer/backend.h"

namespace edgeflow::infer {

class Partitioner {
 public:
  // `backends` in priority order, at least one; the last is the fallback of
  // last resort (the reference backend). Assigns every node.
  Partitioner(const Graph& graph, std::vector<const Backend*> backends);

  // The backend (index into `backends`) of each node.
  const std::vector<int>& assignment() const { return assignment_; }

  // Takes subgraph.backend away from the subgraph's nodes (it could not
  // prepare them): each moves to the next backend that supports it and is
  // not excluded for it, or to the last backend. The last backend is never
  // taken away.
  void Exclude(const Subgraph& subgraph);

  // The maximal runs of consecutive nodes on one backend, in graph order,
  // with their boundary inputs and outputs.
  std::vector<Subgraph> Subgraphs() const;

 private:
  int Choose(size_t node) const;

  const Graph& graph_;
  const std::vector<const Backend*> backends_;
  std::vector<std::vector<bool>> excluded_;  // by node, by backend
  std::vector<int> assignment_;
};

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_PARTITIONER_H_
