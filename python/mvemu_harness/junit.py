"""JUnit XML, the report format CI systems display (one <testcase> per firmware test)."""
import xml.etree.ElementTree as ET


def write(path, suite_name, results, elapsed_s):
    """`results`: dicts with name, classname, seconds, passed, message, log."""
    failures = sum(1 for r in results if not r["passed"])
    suite = ET.Element("testsuite", name=suite_name, tests=str(len(results)),
                       failures=str(failures), errors="0", skipped="0",
                       time=f"{elapsed_s:.3f}")
    for r in results:
        case = ET.SubElement(suite, "testcase", name=r["name"], classname=r["classname"],
                             time=f"{r['seconds']:.3f}")
        if not r["passed"]:
            failure = ET.SubElement(case, "failure", message=r["message"], type=r["kind"])
            failure.text = r["message"]
        out = ET.SubElement(case, "system-out")
        out.text = r["log"]
    root = ET.Element("testsuites", name=suite_name, tests=str(len(results)),
                      failures=str(failures), time=f"{elapsed_s:.3f}")
    root.append(suite)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
