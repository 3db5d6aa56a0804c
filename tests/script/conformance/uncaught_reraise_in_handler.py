# A handler that logs and re-raises with bare raise lets AttributeError escape uncaught.
class Sensor:
    def __init__(self, name):
        self.name = name
def read(sensor):
    try:
        return sensor.value
    except AttributeError:
        print("sensor", sensor.name, "has no value; re-raising")
        raise
s = Sensor("temp")
s.value = 21.5
print(read(s))
read(Sensor("humidity"))
print("unreachable")
