package io.backbone.cli;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** A JUnit XML report (the format CI systems show as test results): one suite, one test case per checked item. */
final class JUnitReport {
    /** One checked item and what failed in it (nothing: it passed). */
    record TestCase(String name, String className, List<Failure> failures) {}

    /** One failure: a short message for the summary and the full text. */
    record Failure(String type, String message, String text) {}

    private final String suite;
    private final List<TestCase> cases = new ArrayList<>();

    JUnitReport(String suite) {
        this.suite = suite;
    }

    JUnitReport add(TestCase testCase) {
        cases.add(testCase);
        return this;
    }

    String render() {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            long failures = cases.stream().filter(c -> !c.failures().isEmpty()).count();
            xml.writeStartElement("testsuites");
            xml.writeAttribute("tests", String.valueOf(cases.size()));
            xml.writeAttribute("failures", String.valueOf(failures));
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", suite);
            xml.writeAttribute("tests", String.valueOf(cases.size()));
            xml.writeAttribute("failures", String.valueOf(failures));
            xml.writeAttribute("errors", "0");
            xml.writeAttribute("skipped", "0");
            for (TestCase c : cases) {
                xml.writeStartElement("testcase");
                xml.writeAttribute("name", c.name());
                xml.writeAttribute("classname", c.className());
                for (Failure f : c.failures()) {
                    xml.writeStartElement("failure");
                    xml.writeAttribute("type", f.type());
                    xml.writeAttribute("message", f.message());
                    xml.writeCharacters(f.text());
                    xml.writeEndElement();
                }
                xml.writeEndElement();
            }
            xml.writeEndElement();
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the JUnit report", e);
        }
        return out + "\n";
    }
}
