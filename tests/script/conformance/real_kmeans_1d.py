# Seeded 1-D k-means clustering: random init, assignment, update, convergence check.
import random
random.seed(12)
points = sorted([round(random.gauss(mu, 1.0), 3) for mu in (0, 10, 20) for _ in range(8)])
print(points[:5], len(points))
def kmeans(xs, k, iters=20):
    centers = random.sample(xs, k)
    for it in range(iters):
        clusters = [[] for _ in range(k)]
        for x in xs:
            i = min(range(k), key=lambda j: abs(x - centers[j]))
            clusters[i].append(x)
        new = [sum(c) / len(c) if c else centers[i] for i, c in enumerate(clusters)]
        if all(abs(a - b) < 1e-9 for a, b in zip(new, centers)):
            return new, clusters, it
        centers = new
    return centers, clusters, iters
centers, clusters, iters = kmeans(points, 3)
order = sorted(range(3), key=lambda i: centers[i])
print("iterations", iters)
for i in order:
    print(round(centers[i], 4), len(clusters[i]), min(clusters[i]), max(clusters[i]))
inertia = sum((x - centers[i]) ** 2 for i in range(3) for x in clusters[i])
print(round(inertia, 6))
