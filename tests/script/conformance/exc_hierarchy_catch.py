# The builtin exception hierarchy: catching by base class and issubclass relations.
pairs = [(KeyError, LookupError), (IndexError, LookupError), (LookupError, Exception),
         (ZeroDivisionError, ArithmeticError), (OverflowError, ArithmeticError),
         (ArithmeticError, Exception), (RecursionError, RuntimeError), (NotImplementedError, RuntimeError),
         (UnboundLocalError, NameError), (StopIteration, Exception), (AssertionError, Exception),
         (Exception, BaseException), (TypeError, ValueError), (KeyError, IndexError),
         (AttributeError, Exception), (ValueError, BaseException)]
for sub, base in pairs:
    print(sub.__name__, base.__name__, issubclass(sub, base))
def raiser(exc):
    raise exc
for exc in [KeyError("k"), IndexError(1), ZeroDivisionError(), OverflowError("o"), RecursionError("r"),
            NotImplementedError("n"), UnboundLocalError("u"), AssertionError("a")]:
    try:
        raiser(exc)
    except LookupError as e:
        print("LookupError <-", type(e).__name__)
    except ArithmeticError as e:
        print("ArithmeticError <-", type(e).__name__)
    except RuntimeError as e:
        print("RuntimeError <-", type(e).__name__)
    except NameError as e:
        print("NameError <-", type(e).__name__)
    except Exception as e:
        print("Exception <-", type(e).__name__)
print(isinstance(KeyError(), LookupError), isinstance(ValueError(), (TypeError, ValueError)))
