package dev.dukequeue.connector;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ejb.EJBException;
import org.junit.jupiter.api.Test;

class DeliveryTest {

    @Test
    void theBeansOwnExceptionIsRecordedNotTheContainersWrapper() {
        RuntimeException own = new IllegalStateException("invoice 42 has no customer");
        EJBException wrapped = new EJBException("message-driven bean method onJob system exception", own);
        assertThat(Delivery.beansOwn(wrapped)).isSameAs(own);
        assertThat(Delivery.beansOwn(new EJBException("twice", wrapped))).isSameAs(own);
    }

    @Test
    void unwrappingStopsAtTheFirstExceptionThatIsNotTheContainers() {
        Error own = new OutOfMemoryError("bean");
        assertThat(Delivery.beansOwn(new EJBException("system exception", new RuntimeException(own))))
                .isInstanceOf(RuntimeException.class).hasCause(own);
    }

    @Test
    void anExceptionTheBeanDeclaredOrAnEjbExceptionWithoutCauseStaysAsItIs() {
        Exception declared = new java.io.IOException("mail server down");
        assertThat(Delivery.beansOwn(declared)).isSameAs(declared);
        EJBException bare = new EJBException("the bean threw this itself");
        assertThat(Delivery.beansOwn(bare)).isSameAs(bare);
    }
}
