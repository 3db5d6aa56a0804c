# Rolling-window z-score anomaly detection over a sensor series with a deque.
import math
from collections import deque
series = [10.0, 10.2, 9.9, 10.1, 10.3, 9.8, 15.5, 10.0, 10.1, 9.7, 10.2, 3.1, 10.0, 10.4, 10.1, 10.2]
WINDOW, THRESH = 5, 3.0
win = deque(maxlen=WINDOW)
flags = []
for t, x in enumerate(series):
    if len(win) == WINDOW:
        mean = sum(win) / WINDOW
        std = math.sqrt(sum((v - mean) ** 2 for v in win) / (WINDOW - 1))
        z = (x - mean) / std if std else 0.0
        status = "ANOMALY" if abs(z) > THRESH else "ok"
        print("t=%2d x=%5.1f mean=%6.3f std=%5.3f z=%7.2f %s" % (t, x, mean, std, z, status))
        if status == "ANOMALY":
            flags.append(t)
            continue
    win.append(x)
print("anomalies at", flags)
